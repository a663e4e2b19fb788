//! Suppliers' full profiles, the same on every database: kept by open id with when they were
//! read, replaced by a newer read, and a profile that no longer reads counts as none.

use open1688_store::{SqlStore, Store, SupplierProfile};
use rust_decimal::Decimal;
use sourcing::Supplier;

pub async fn supplier_profile_suite(store: &SqlStore, base: i64) {
    let open_id = format!("b2b-{base}天誉");
    assert_eq!(Store::supplier_profile(store, &open_id).await.unwrap(), None);
    let mut supplier = Supplier { company: Some("台州天誉日用品有限公司".into()), ..Supplier::default() };
    supplier.scores.composite = Some("4.5".parse().unwrap());
    supplier.identities = vec!["super_factory".into()];
    supplier.fulfillment_rate = Some(Decimal::new(9912, 4));
    let first = SupplierProfile { open_id: open_id.clone(), supplier: supplier.clone(), fetched_ms: 1_000 };
    Store::save_supplier_profile(store, &first).await.unwrap();
    assert_eq!(Store::supplier_profile(store, &open_id).await.unwrap(), Some(first), "every signal read back exactly");

    supplier.offer_count = Some(77);
    let newer = SupplierProfile { open_id: open_id.clone(), supplier, fetched_ms: 2_000 };
    Store::save_supplier_profile(store, &newer).await.unwrap();
    assert_eq!(Store::supplier_profile(store, &open_id).await.unwrap(), Some(newer), "a newer read replaces");
    assert_eq!(Store::supplier_profile(store, "someone else").await.unwrap(), None);
}
