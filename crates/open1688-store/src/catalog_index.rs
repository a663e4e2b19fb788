//! The catalog's embedded full-text index (tantivy, with jieba segmenting Chinese): titles in
//! both languages, categories, suppliers and attributes are searchable; filters and facets read
//! columns kept beside the text (province, city, identities, band, category, MOQ, score and the
//! whole price ladder, so a price filter or sort works at any quantity). It lives in a folder of
//! the data directory, or in memory for tests.

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::{DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, SegmentOrdinal, SegmentReader, Term};

use crate::catalog_entry::CatalogEntry;
use crate::catalog_query::{
    CatalogHit, CatalogQuery, CatalogResults, CatalogSort, FacetCounts, MOQ_BANDS, PRICE_BANDS, moq_band, price_band,
};

/// Why the index failed: it could not be opened or written (another process may hold its writer
/// lock: retrying after it finishes helps; a damaged folder can be deleted and rebuilt).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index folder or its files failed.
    #[error("the catalog index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// Result of the index.
pub type IndexResult<T> = std::result::Result<T, IndexError>;

const TOKENIZER: &str = "zh";
/// How much more a word counts in the Chinese title than in the other text.
const TITLE_BOOST: f32 = 3.0;
/// Prices are kept in ten-thousandths of a yuan, packed with the tier's start quantity.
const PRICE_SCALE: u64 = 10_000;
const PRICE_BITS: u32 = 40;

#[derive(Debug, Clone, Copy)]
struct Fields {
    text: Field,
    offer_id: Field,
    title: Field,
    province: Field,
    city: Field,
    identity: Field,
    band: Field,
    category: Field,
    moq: Field,
    score: Field,
    tiers: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        text: b.add_text_field("text", words.clone()),
        offer_id: b.add_i64_field("offer_id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", words.clone() | STORED),
        province: b.add_text_field("province", STRING | FAST | STORED),
        city: b.add_text_field("city", STRING | FAST | STORED),
        identity: b.add_text_field("identity", STRING | FAST),
        band: b.add_text_field("band", STRING | FAST),
        category: b.add_text_field("category", STRING | FAST),
        moq: b.add_i64_field("moq", FAST),
        score: b.add_i64_field("score", FAST),
        tiers: b.add_u64_field("tiers", FAST),
    };
    (b.build(), fields)
}

/// The catalog's search index.
pub struct CatalogIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for CatalogIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogIndex").field("documents", &self.len()).finish()
    }
}

impl CatalogIndex {
    /// Opens the index in `dir`, creating the folder and an empty index when missing.
    pub fn open(dir: &Path) -> IndexResult<Self> {
        std::fs::create_dir_all(dir).map_err(|e| tantivy::TantivyError::IoError(e.into()))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        Self::with_index(Index::open_or_create(directory, schema)?, fields)
    }

    /// An index in memory (tests, one-off searches).
    pub fn in_memory() -> IndexResult<Self> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> IndexResult<Self> {
        index.tokenizers().register(TOKENIZER, crate::catalog_words::analyzer());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, fields })
    }

    /// The words the index makes of `text`: see [`crate::catalog_words::words`].
    pub fn words(&self, text: &str) -> Vec<String> {
        crate::catalog_words::words(text)
    }

    /// Documents in the index (one per offer).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no offer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds or replaces the entries' offers and makes them searchable.
    pub fn upsert(&self, entries: &[CatalogEntry]) -> IndexResult<()> {
        let mut writer: tantivy::IndexWriter = self.index.writer(64 * 1024 * 1024)?;
        for entry in entries {
            writer.delete_term(Term::from_field_i64(self.fields.offer_id, entry.offer.id));
            writer.add_document(self.document(entry))?;
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Empties the index (before rebuilding it from the store).
    pub fn clear(&self) -> IndexResult<()> {
        let mut writer: tantivy::IndexWriter = self.index.writer(16 * 1024 * 1024)?;
        writer.delete_all_documents()?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, entry: &CatalogEntry) -> TantivyDocument {
        let f = &self.fields;
        let o = &entry.offer;
        let mut doc = TantivyDocument::default();
        let mut words = vec![o.title_en.as_deref().unwrap_or_default()];
        words.extend(o.category.leaf_name.as_deref());
        words.extend(o.supplier.company.as_deref());
        for a in &entry.attributes {
            words.push(&a.value);
            words.push(&a.raw_value);
        }
        doc.add_text(f.text, words.join(" "));
        doc.add_i64(f.offer_id, o.id);
        doc.add_text(f.title, &o.title);
        let (province, city) = entry.place();
        if let Some(p) = province {
            doc.add_text(f.province, p);
        }
        if let Some(c) = city {
            doc.add_text(f.city, c);
        }
        for identity in &entry.supplier.identities {
            doc.add_text(f.identity, identity);
        }
        if let Some(band) = &entry.band {
            doc.add_text(f.band, band);
        }
        if let Some(category) = o.category.ids.last() {
            doc.add_text(f.category, category.to_string());
        }
        doc.add_i64(f.moq, o.moq.unwrap_or(-1));
        doc.add_i64(f.score, entry.score.and_then(|s| (s * Decimal::from(100)).round().to_i64()).unwrap_or(-1));
        for tier in o.ladder.iter().flat_map(|l| l.tiers()) {
            if let Some(packed) = pack_tier(tier.min_qty, tier.unit_price) {
                doc.add_u64(f.tiers, packed);
            }
        }
        doc
    }

    /// Runs a search: words and filters select offers; facets count all of them; the first
    /// `limit` come back in the asked order.
    pub fn search(&self, query: &CatalogQuery) -> IndexResult<CatalogResults> {
        let searcher = self.reader.searcher();
        // Every word must appear, in the title or elsewhere; a word in the title counts more. The
        // words are made by the index's own analyzer, so query syntax in them is only text.
        let mut words = self.words(&query.text);
        words.sort_unstable();
        words.dedup();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let in_field = |field: Field| -> Box<dyn Query> {
                Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
            };
            let either: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Should, Box::new(BoostQuery::new(in_field(self.fields.title), TITLE_BOOST))),
                (Occur::Should, in_field(self.fields.text)),
            ];
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        let term = |field: Field, value: &str| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)))
        };
        let f = &self.fields;
        for (field, value) in
            [(f.province, &query.province), (f.city, &query.city), (f.identity, &query.identity), (f.band, &query.band)]
        {
            if let Some(v) = value {
                clauses.push(term(field, v));
            }
        }
        if let Some(category) = query.category {
            clauses.push(term(f.category, &category.to_string()));
        }
        let collector = Matches { query: query.clone() };
        let (mut rows, facets) = searcher.search(&BooleanQuery::new(clauses), &collector)?;
        let total = rows.len() as u64;
        sort_rows(&mut rows, query.sort, query.offset.saturating_add(query.limit));
        let mut hits = Vec::with_capacity(rows.len());
        for row in rows.into_iter().skip(query.offset) {
            let doc: TantivyDocument = searcher.doc(row.address)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
            hits.push(CatalogHit {
                offer_id: row.offer_id,
                title: text(f.title).unwrap_or_default(),
                price: row.price,
                moq: row.moq,
                score: row.score,
                province: text(f.province),
                city: text(f.city),
                relevance: row.relevance,
            });
        }
        Ok(CatalogResults { total, hits, facets: facets.finish() })
    }
}

/// A tier packed into one column value: the start quantity above the price, so the values of an
/// offer sort by start quantity.
fn pack_tier(start: i64, price: Decimal) -> Option<u64> {
    let start = u64::try_from(start).ok().filter(|s| *s < 1 << (64 - PRICE_BITS))?;
    let price = (price * Decimal::from(PRICE_SCALE)).round().to_u64().filter(|p| *p < 1 << PRICE_BITS)?;
    Some(start << PRICE_BITS | price)
}

/// The unit price at `quantity` from packed tiers (sorted): the last tier starting at or below it.
fn price_at(mut tiers: impl Iterator<Item = u64>, quantity: Option<i64>) -> Option<Decimal> {
    let unpack = |packed: u64| packed & ((1 << PRICE_BITS) - 1);
    let price = match quantity {
        // The first tier is the price at the MOQ.
        None => tiers.next().map(unpack),
        Some(quantity) => {
            let quantity = u64::try_from(quantity).ok()?;
            tiers.take_while(|packed| packed >> PRICE_BITS <= quantity).last().map(unpack)
        }
    };
    price.map(|p| Decimal::from(p) / Decimal::from(PRICE_SCALE))
}

#[derive(Debug, Clone)]
struct Row {
    address: DocAddress,
    offer_id: i64,
    relevance: f32,
    price: Option<Decimal>,
    moq: Option<i64>,
    score: Option<Decimal>,
}

/// Keeps the first `limit` rows in `sort`'s order (the rest are only counted): a partial
/// selection, then a sort of what is kept.
fn sort_rows(rows: &mut Vec<Row>, sort: CatalogSort, limit: usize) {
    let order = |a: &Row, b: &Row| match sort {
        CatalogSort::Relevance => b.relevance.total_cmp(&a.relevance).then(a.offer_id.cmp(&b.offer_id)),
        // Offers without the value go last.
        CatalogSort::Price => (a.price.is_none(), a.price, a.offer_id).cmp(&(b.price.is_none(), b.price, b.offer_id)),
        CatalogSort::Score => b.score.cmp(&a.score).then(a.offer_id.cmp(&b.offer_id)),
        CatalogSort::Moq => (a.moq.is_none(), a.moq, a.offer_id).cmp(&(b.moq.is_none(), b.moq, b.offer_id)),
    };
    if limit == 0 {
        rows.clear();
        return;
    }
    if rows.len() > limit {
        rows.select_nth_unstable_by(limit - 1, order);
        rows.truncate(limit);
    }
    rows.sort_by(order);
}

/// Collects every match that passes the numeric filters, with its facets.
struct Matches {
    query: CatalogQuery,
}

struct SegmentMatches {
    query: CatalogQuery,
    segment: SegmentOrdinal,
    offer_id: Column<i64>,
    moq: Column<i64>,
    score: Column<i64>,
    tiers: Column<u64>,
    strings: Vec<(&'static str, Option<StrColumn>, std::collections::HashMap<u64, u64>)>,
    moq_bands: [u64; MOQ_BANDS.len()],
    price_bands: [u64; PRICE_BANDS.len()],
    rows: Vec<Row>,
}

impl Collector for Matches {
    type Fruit = (Vec<Row>, FacetCounts);
    type Child = SegmentMatches;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentMatches> {
        let fast = reader.fast_fields();
        let mut strings = Vec::new();
        for name in ["province", "city", "identity", "band", "category"] {
            strings.push((name, fast.str(name)?, std::collections::HashMap::new()));
        }
        Ok(SegmentMatches {
            query: self.query.clone(),
            segment,
            offer_id: fast.i64("offer_id")?,
            moq: fast.i64("moq")?,
            score: fast.i64("score")?,
            tiers: fast.u64("tiers")?,
            strings,
            moq_bands: [0; MOQ_BANDS.len()],
            price_bands: [0; PRICE_BANDS.len()],
            rows: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.query.sort == CatalogSort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<(Vec<Row>, FacetCounts)>) -> tantivy::Result<(Vec<Row>, FacetCounts)> {
        let mut rows = Vec::new();
        let mut facets = FacetCounts::default();
        for (r, f) in fruits {
            rows.extend(r);
            facets.merge(f);
        }
        Ok((rows, facets))
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = (Vec<Row>, FacetCounts);

    fn collect(&mut self, doc: DocId, relevance: Score) {
        let q = &self.query;
        let price = price_at(self.tiers.values_for_doc(doc), q.at);
        let moq = self.moq.first(doc).filter(|m| *m >= 0);
        if q.price_min.is_some_and(|min| price.is_none_or(|p| p < min))
            || q.price_max.is_some_and(|max| price.is_none_or(|p| p > max))
            || q.moq_max.is_some_and(|max| moq.unwrap_or(1) > max)
        {
            return;
        }
        let score = self.score.first(doc).filter(|s| *s >= 0).map(|s| Decimal::new(s, 2));
        for (_, column, counts) in &mut self.strings {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
        self.moq_bands[moq_band(moq)] += 1;
        self.price_bands[price_band(price)] += 1;
        let offer_id = self.offer_id.first(doc).unwrap_or_default();
        self.rows.push(Row { address: DocAddress::new(self.segment, doc), offer_id, relevance, price, moq, score });
    }

    fn harvest(self) -> (Vec<Row>, FacetCounts) {
        let mut facets = FacetCounts::default();
        let mut text = String::new();
        for (name, column, counts) in self.strings {
            let Some(column) = column else { continue };
            for (ord, n) in counts {
                text.clear();
                if column.ord_to_str(ord, &mut text).unwrap_or(false) {
                    facets.add(name, &text, n);
                }
            }
        }
        for (band, n) in MOQ_BANDS.iter().zip(self.moq_bands).filter(|(_, n)| *n > 0) {
            facets.add("moq", band, n);
        }
        for (band, n) in PRICE_BANDS.iter().zip(self.price_bands).filter(|(_, n)| *n > 0) {
            facets.add("price", band, n);
        }
        (self.rows, facets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_pack_in_start_order_and_price_at_reads_the_right_tier() {
        let tiers = [pack_tier(2, "10.50".parse().unwrap()), pack_tier(100, "9.8".parse().unwrap())];
        let tiers: Vec<u64> = tiers.into_iter().map(Option::unwrap).collect();
        assert!(tiers[0] < tiers[1]);
        assert_eq!(price_at(tiers.iter().copied(), Some(1)), None, "below the first tier");
        assert_eq!(price_at(tiers.iter().copied(), Some(2)), Some("10.5".parse().unwrap()));
        assert_eq!(price_at(tiers.iter().copied(), Some(99)), Some("10.5".parse().unwrap()));
        assert_eq!(price_at(tiers.iter().copied(), Some(5000)), Some("9.8".parse().unwrap()));
        assert_eq!(price_at(tiers.iter().copied(), None), Some("10.5".parse().unwrap()), "no quantity: at the MOQ");
        assert_eq!(price_at(std::iter::empty(), None), None, "no ladder");
        assert_eq!(pack_tier(-1, Decimal::ONE), None);
        assert_eq!(pack_tier(1, Decimal::from(200_000_000)), None, "a price beyond the column is left out");
    }
}
