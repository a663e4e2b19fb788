//! The sandbox's catalog: suppliers and offers generated deterministically from a seed, with a
//! keyword index and the perceptual hashes of every main image.

pub mod drift;
mod generate;
pub mod image;
pub mod index;
pub mod model;
pub mod rng;
pub mod vocabulary;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use model::{Offer, Sku, Supplier};

/// How big the catalog is and how it is shaped.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    /// Seed: the same seed gives the same catalog, byte for byte.
    pub seed: u64,
    /// Number of offers (at least).
    pub offers: usize,
    /// Number of suppliers.
    pub suppliers: usize,
    /// Share of factory items listed by several suppliers (2–5 listings each).
    pub group_share: f64,
    /// Share of suppliers that allow mixed batches (混批).
    pub mix_share: f64,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self { seed: 1688, offers: 20_000, suppliers: 1_600, group_share: 0.3, mix_share: 0.35 }
    }
}

/// The generated catalog. Offers are stored in rank order (best sellers first).
#[derive(Debug)]
pub struct Catalog {
    /// The configuration it was built from.
    pub config: CatalogConfig,
    /// Offers in rank order.
    pub offers: Vec<Offer>,
    /// Suppliers.
    pub suppliers: Vec<Supplier>,
    /// dHash of each offer's main image (same index as `offers`).
    pub image_hashes: Vec<image::ImageHash>,
    /// Keyword index over titles.
    pub index: index::KeywordIndex,
    by_id: HashMap<i64, u32>,
    by_open_id: HashMap<String, u32>,
    by_login: HashMap<String, u32>,
    offers_of: Vec<Vec<u32>>,
}

impl Catalog {
    /// Generates the catalog for a configuration.
    pub fn build(config: CatalogConfig) -> Self {
        let suppliers = generate::suppliers(&config);
        let mut offers = generate::offers(&config, &suppliers);
        offers.sort_by(|a, b| b.month_sold.cmp(&a.month_sold).then(a.id.cmp(&b.id)));
        let image_hashes = hash_images(&offers);
        let index = index::KeywordIndex::build(&offers);
        let by_id = offers.iter().enumerate().map(|(i, o)| (o.id, i as u32)).collect();
        let by_open_id = suppliers.iter().enumerate().map(|(i, s)| (s.open_id.clone(), i as u32)).collect();
        let by_login = suppliers.iter().enumerate().map(|(i, s)| (s.login_id.clone(), i as u32)).collect();
        let mut offers_of = vec![Vec::new(); suppliers.len()];
        for (i, o) in offers.iter().enumerate() {
            offers_of[o.supplier as usize].push(i as u32);
        }
        Self { config, offers, suppliers, image_hashes, index, by_id, by_open_id, by_login, offers_of }
    }

    /// Position of an offer by id.
    pub fn offer_index(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).map(|&i| i as usize)
    }

    /// An offer by id.
    pub fn offer(&self, id: i64) -> Option<&Offer> {
        self.offer_index(id).map(|i| &self.offers[i])
    }

    /// A supplier's position by open id.
    pub fn supplier_by_open_id(&self, open_id: &str) -> Option<usize> {
        self.by_open_id.get(open_id).map(|&i| i as usize)
    }

    /// A supplier's position by login id or shop domain (`xinda8866.1688.com`, with or without scheme).
    pub fn supplier_by_login_or_domain(&self, key: &str) -> Option<usize> {
        let key = key.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
        let login = key.strip_suffix(".1688.com").unwrap_or(key);
        self.by_login.get(login).map(|&i| i as usize)
    }

    /// Offer positions of one supplier, in rank order.
    pub fn offers_of(&self, supplier: usize) -> &[u32] {
        &self.offers_of[supplier]
    }

    /// Positions of the listings in one same-factory group.
    pub fn group_members(&self, group: u32) -> Vec<usize> {
        self.offers.iter().enumerate().filter(|(_, o)| o.group == group).map(|(i, _)| i).collect()
    }
}

/// Hashes every main image, on all cores: rendering is most of the catalog's build time.
fn hash_images(offers: &[Offer]) -> Vec<image::ImageHash> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = offers.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = offers
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|o| image::design_hash(o.design)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().expect("hashing an image does not panic")).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn small() -> Catalog {
        Catalog::build(CatalogConfig { offers: 2_000, suppliers: 200, ..Default::default() })
    }

    #[test]
    fn ids_are_unique_and_lookups_agree() {
        let c = small();
        assert!(c.offers.len() >= 2_000);
        let ids: HashSet<i64> = c.offers.iter().map(|o| o.id).collect();
        assert_eq!(ids.len(), c.offers.len());
        let skus: HashSet<i64> = c.offers.iter().flat_map(|o| o.skus.iter().map(|s| s.id)).collect();
        assert_eq!(skus.len(), c.offers.iter().map(|o| o.skus.len()).sum::<usize>());
        for (i, o) in c.offers.iter().enumerate().step_by(97) {
            assert_eq!(c.offer_index(o.id), Some(i));
        }
        let s = &c.suppliers[5];
        assert_eq!(c.supplier_by_login_or_domain(&s.domain()), Some(5));
        assert_eq!(c.supplier_by_open_id(&s.open_id), Some(5));
    }

    #[test]
    fn ladders_fall_with_quantity_and_start_at_moq() {
        let c = small();
        for o in &c.offers {
            assert_eq!(o.ladder[0].0, o.moq, "offer {}", o.id);
            assert!((1..=4).contains(&o.ladder.len()));
            for w in o.ladder.windows(2) {
                assert!(w[0].0 < w[1].0 && w[0].1 > w[1].1, "offer {} ladder {:?}", o.id, o.ladder);
            }
            assert_eq!(o.skus.is_empty(), o.quote_type == 0);
        }
        let quote_types: HashSet<u8> = c.offers.iter().map(|o| o.quote_type).collect();
        assert_eq!(quote_types.len(), 3);
    }

    #[test]
    fn same_seed_same_catalog_other_seed_other_catalog() {
        let a = small();
        let b = small();
        assert_eq!(format!("{:?}", a.offers[..50].to_vec()), format!("{:?}", b.offers[..50].to_vec()));
        let c = Catalog::build(CatalogConfig { seed: 7, offers: 2_000, suppliers: 200, ..Default::default() });
        assert_ne!(a.offers[0].id, c.offers[0].id);
    }

    #[test]
    fn keyword_search_matches_chinese_and_english_titles() {
        let c = small();
        let zh = c.index.search(&c.offers, "数据线");
        assert!(!zh.is_empty());
        assert!(zh.iter().all(|&i| c.offers[i as usize].subject.contains("数据线")));
        let en = c.index.search(&c.offers, "charging cables");
        assert!(!en.is_empty());
        assert!(en.iter().all(|&i| c.offers[i as usize].subject_en.to_lowercase().contains("charging cable")));
        assert!(zh.windows(2).all(|w| w[0] < w[1]), "rank order");
    }
}

#[cfg(test)]
mod image_tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Image search ranks by hash distance: a listing's siblings must sit nearer than strangers,
    /// with room for the few bits an upload's re-encoding flips.
    #[test]
    fn siblings_are_nearer_than_strangers_with_margin() {
        let c = Catalog::build(CatalogConfig { offers: 6_000, suppliers: 480, ..Default::default() });
        let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, o) in c.offers.iter().enumerate() {
            groups.entry(o.group).or_default().push(i);
        }
        let (mut ok, mut total) = (0, 0);
        let mut worst_sibling = 0;
        let mut nearest_stranger_hist = [0u32; 257];
        for members in groups.values().filter(|m| m.len() >= 2) {
            let a = members[0];
            let sibling =
                members[1..].iter().map(|&b| image::distance(c.image_hashes[a], c.image_hashes[b])).max().unwrap();
            let stranger = (0..c.offers.len())
                .filter(|i| !members.contains(i))
                .map(|b| image::distance(c.image_hashes[a], c.image_hashes[b]))
                .min()
                .unwrap();
            worst_sibling = worst_sibling.max(sibling);
            nearest_stranger_hist[stranger as usize] += 1;
            total += 1;
            if sibling + 30 <= stranger {
                ok += 1;
            }
        }
        eprintln!(
            "groups {total}, separated {ok}, worst sibling {worst_sibling}, nearest strangers {nearest_stranger_hist:?}"
        );
        assert!(ok * 100 >= total * 98, "{ok} of {total} groups separated with margin");
    }
}
