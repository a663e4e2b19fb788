//! Plan carts, the same on every database: one per key, a line per offer and SKU (a line without
//! a SKU beside one with), adding again sets the quantity, the ceiling refuses the next line, and
//! one key's cart never shows in another's.

use open1688_store::{CartAdd, MAX_CART_LINES, SqlStore};

pub async fn plan_cart_suite(store: &SqlStore, base: i64) {
    let (key, other) = (base, base + 1);
    assert!(store.cart(key).await.unwrap().is_empty());
    assert_eq!(store.add_to_cart(key, 700, Some(5), 300, 10).await.unwrap(), CartAdd::Added);
    assert_eq!(store.add_to_cart(key, 700, None, 20, 11).await.unwrap(), CartAdd::Added, "no SKU is another line");
    assert_eq!(store.add_to_cart(key, 701, Some(9), 5, 12).await.unwrap(), CartAdd::Added);
    assert_eq!(store.add_to_cart(key, 700, Some(5), 312, 13).await.unwrap(), CartAdd::Replaced);
    let cart = store.cart(key).await.unwrap();
    let lines: Vec<_> = cart.iter().map(|l| (l.offer_id, l.sku_id, l.quantity)).collect();
    assert_eq!(lines, [(700, Some(5), 312), (700, None, 20), (701, Some(9), 5)], "oldest first, quantity set");
    assert!(store.cart(other).await.unwrap().is_empty(), "another key's cart is its own");

    assert!(store.set_cart_quantity(key, 700, None, 40).await.unwrap());
    assert!(store.set_cart_quantity(key, 700, None, 40).await.unwrap(), "the same quantity again still finds the line");
    assert!(!store.set_cart_quantity(key, 702, None, 40).await.unwrap(), "no such line");
    assert!(store.set_cart_quantity(key, 700, None, 0).await.is_err(), "a quantity of 0 is refused");
    assert!(store.add_to_cart(key, -1, None, 1, 14).await.is_err(), "a negative offer id is refused");
    assert!(store.remove_from_cart(key, 701, Some(9)).await.unwrap());
    assert!(!store.remove_from_cart(key, 701, Some(9)).await.unwrap(), "removed once");
    assert!(!store.remove_from_cart(other, 700, Some(5)).await.unwrap(), "another key cannot remove it");
    let lines: Vec<_> = store.cart(key).await.unwrap().iter().map(|l| (l.offer_id, l.sku_id, l.quantity)).collect();
    assert_eq!(lines, [(700, Some(5), 312), (700, None, 40)]);

    for i in 0..MAX_CART_LINES as i64 {
        let added = store.add_to_cart(other, 1_000 + i, None, 1, 20 + i).await.unwrap();
        assert_eq!(added, CartAdd::Added, "line {i}");
    }
    assert_eq!(store.add_to_cart(other, 5_000, None, 1, 99).await.unwrap(), CartAdd::Full);
    assert_eq!(
        store.add_to_cart(other, 1_000, None, 7, 99).await.unwrap(),
        CartAdd::Replaced,
        "a full cart still changes"
    );
    assert_eq!(store.cart(other).await.unwrap().len(), MAX_CART_LINES);
    assert_eq!(store.clear_cart(other).await.unwrap(), MAX_CART_LINES as u64);
    assert!(store.cart(other).await.unwrap().is_empty());
    assert_eq!(store.cart(key).await.unwrap().len(), 2, "clearing one cart leaves the others");
    store.clear_cart(key).await.unwrap();
}
