//! First-run data: a demo agency tree in every tier, categories, all of Indonesia's regions
//! (from `seed/wilayah.csv`, see its README for the attribution) and the bundled FAQ.

use std::collections::HashMap;

use lapor_core::Locale;
use lapor_core::faq::default_faq;
use lapor_core::text::search_key;
use rusqlite::{Connection, named_params, params};

const WILAYAH_CSV: &str = include_str!("../seed/wilayah.csv");

/// (id, name, tier, parent)
const AGENCIES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "kemenpanrb",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "national",
        None,
    ),
    ("kemenpu", "Kementerian Pekerjaan Umum", "national", None),
    ("kemenkes", "Kementerian Kesehatan", "national", None),
    (
        "kemendikdasmen",
        "Kementerian Pendidikan Dasar dan Menengah",
        "national",
        None,
    ),
    ("kemendagri", "Kementerian Dalam Negeri", "national", None),
    (
        "prov-jateng",
        "Pemerintah Provinsi Jawa Tengah",
        "province",
        None,
    ),
    (
        "kab-kendal",
        "Pemerintah Kabupaten Kendal",
        "regency",
        Some("prov-jateng"),
    ),
    (
        "kota-semarang",
        "Pemerintah Kota Semarang",
        "regency",
        Some("prov-jateng"),
    ),
    (
        "kendal-diskominfo",
        "Dinas Komunikasi dan Informatika Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-dpupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-dinkes",
        "Dinas Kesehatan Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-disdikbud",
        "Dinas Pendidikan dan Kebudayaan Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-dlh",
        "Dinas Lingkungan Hidup Kabupaten Kendal",
        "opd",
        Some("kab-kendal"),
    ),
    (
        "kendal-kec-kendal",
        "Kecamatan Kendal",
        "district",
        Some("kab-kendal"),
    ),
    (
        "kendal-kec-kaliwungu",
        "Kecamatan Kaliwungu",
        "district",
        Some("kab-kendal"),
    ),
    (
        "kendal-kec-weleri",
        "Kecamatan Weleri",
        "district",
        Some("kab-kendal"),
    ),
    (
        "kendal-kec-boja",
        "Kecamatan Boja",
        "district",
        Some("kab-kendal"),
    ),
];

/// (id, Indonesian name, English name)
const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "infrastruktur",
        "Infrastruktur dan jalan",
        "Infrastructure and roads",
    ),
    ("kesehatan", "Kesehatan", "Health"),
    ("pendidikan", "Pendidikan", "Education"),
    (
        "kependudukan",
        "Administrasi kependudukan",
        "Civil registration",
    ),
    (
        "lingkungan",
        "Lingkungan hidup dan sampah",
        "Environment and waste",
    ),
    (
        "air-bersih",
        "Air bersih dan sanitasi",
        "Clean water and sanitation",
    ),
    ("perizinan", "Perizinan", "Permits and licences"),
    ("bansos", "Bantuan sosial", "Social assistance"),
    ("ketertiban", "Ketertiban umum", "Public order"),
    ("lainnya", "Lainnya", "Other"),
];

/// Seeds each part of the directory that is still empty, in one transaction.
pub fn seed_if_empty(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let empty = |table: &str| -> rusqlite::Result<bool> {
        tx.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )
    };
    if empty("agencies")? {
        let mut stmt = tx.prepare(
            "INSERT INTO agencies (id, name, tier, parent_id, search) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (id, name, tier, parent) in AGENCIES {
            stmt.execute(params![id, name, tier, parent, search_key(name)])?;
        }
    }
    if empty("categories")? {
        let mut stmt = tx.prepare(
            "INSERT INTO categories (id, name_id, name_en, position) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, (id, name_id, name_en)) in CATEGORIES.iter().enumerate() {
            stmt.execute(params![id, name_id, name_en, i])?;
        }
    }
    if empty("regions")? {
        let mut stmt = tx.prepare(
            "INSERT INTO regions (code, name, level, parents, search) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for region in parse_wilayah(WILAYAH_CSV) {
            stmt.execute(params![
                region.code,
                region.name,
                region.level,
                region.parents.join("|"),
                search_key(&region.name)
            ])?;
        }
    }
    if empty("faq")? {
        let mut stmt = tx.prepare(
            "INSERT INTO faq (id, locale, category, question, answer, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for locale in Locale::ALL {
            for (i, e) in default_faq(locale).iter().enumerate() {
                stmt.execute(params![
                    e.id,
                    locale.tag(),
                    e.category,
                    e.question,
                    e.answer,
                    i
                ])?;
            }
        }
    }
    index_directory(&tx)?;
    tx.commit()
}

/// The words a regency's or a city's name starts with before the place's own name: "kendal"
/// is where "Kabupaten Kendal" starts, as it is where "Kendal" does.
const DESIGNATIONS: &[&str] = &[
    "kabupaten administrasi",
    "kota administrasi",
    "kabupaten",
    "kota",
];

/// The keys a name is found by in the search index: its search key from each of its words on
/// (so a search for the start of any word is a range of the index), each with whether it is
/// where the name starts (its designation skipped).
pub fn word_keys(name_key: &str) -> Vec<(String, bool)> {
    let designation = DESIGNATIONS
        .iter()
        .find(|d| {
            name_key
                .strip_prefix(**d)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .map_or(0, |d| d.split(' ').count());
    let mut keys = Vec::new();
    let mut rest = name_key;
    let mut word = 0;
    while !rest.is_empty() {
        keys.push((rest.to_owned(), word == 0 || word == designation));
        rest = rest.split_once(' ').map_or("", |(_, after)| after);
        word += 1;
    }
    keys
}

/// The words a region is found by, as `region_keys.words` holds them: its name's search key,
/// then after ` / ` those of the regions it lies in, each word after a space, so that
/// `LIKE '% word%'` finds a word's start anywhere and `LIKE '% word%/%'` only in the name.
pub fn region_words(name_key: &str, parent_keys: &[&str]) -> String {
    format!(" {name_key} / {}", parent_keys.join(" "))
}

/// Fills the search index of regions (`region_keys`) and of agencies (`agency_keys`) when it
/// is empty: after the first seed, and once for a database seeded before the index existed
/// (or emptied by a migration that changed it).
pub fn index_directory(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let unindexed = |table: &str| -> rusqlite::Result<bool> {
        tx.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )
    };
    if unindexed("region_keys")? {
        let regions: Vec<(String, i64, String, String)> = tx
            .prepare("SELECT code, level, search, parents FROM regions")?
            .query_map([], |r| {
                Ok((
                    r.get("code")?,
                    r.get("level")?,
                    r.get("search")?,
                    r.get("parents")?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        // A parent's search key is its own row's: folding the parents' names again took half
        // the time of the whole index in a debug build.
        let keys: HashMap<&str, &str> = regions
            .iter()
            .map(|(code, _, search, _)| (code.as_str(), search.as_str()))
            .collect();
        let mut key = tx.prepare(
            "INSERT OR IGNORE INTO region_keys (name_start, level, key, code, words)
             VALUES (:name_start, :level, :key, :code, :words)",
        )?;
        for (code, level, search, parents) in &regions {
            let parent_keys: Option<Vec<&str>> = code
                .rmatch_indices('.')
                .map(|(end, _)| keys.get(&code[..end]).copied())
                .collect();
            let words = match parent_keys {
                Some(parent_keys) => region_words(search, &parent_keys),
                // A parent missing from the table: its name as `parents` keeps it.
                None => {
                    let folded: Vec<String> = parents.split('|').map(search_key).collect();
                    region_words(
                        search,
                        &folded.iter().map(String::as_str).collect::<Vec<_>>(),
                    )
                }
            };
            for (word_key, name_start) in word_keys(search) {
                key.execute(named_params! {
                    ":name_start": name_start,
                    ":level": level,
                    ":key": word_key,
                    ":code": code,
                    ":words": words,
                })?;
            }
        }
    }
    if unindexed("agency_keys")? {
        let mut read = tx.prepare("SELECT id, search FROM agencies")?;
        let mut key =
            tx.prepare("INSERT OR IGNORE INTO agency_keys (key, id) VALUES (:key, :id)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get("id")?;
            let search: String = row.get("search")?;
            for (word_key, _) in word_keys(&search) {
                key.execute(named_params! { ":key": word_key, ":id": id })?;
            }
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub struct SeedRegion {
    pub code: String,
    pub name: String,
    /// 1 province, 2 regency/city, 3 district, 4 village.
    pub level: usize,
    /// Parent names, nearest first.
    pub parents: Vec<String>,
}

/// Parses `kode,nama` rows (names may be quoted) and resolves every row's parents by code.
pub fn parse_wilayah(csv: &str) -> Vec<SeedRegion> {
    let mut names: HashMap<&str, String> = HashMap::new();
    let mut rows = Vec::new();
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let Some((code, raw)) = line.split_once(',') else {
            continue;
        };
        let name = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => raw.to_owned(),
        };
        names.insert(code, name.clone());
        rows.push((code, name));
    }
    rows.into_iter()
        .map(|(code, name)| {
            let segments: Vec<&str> = code.split('.').collect();
            let parents = (1..segments.len())
                .rev()
                .filter_map(|n| {
                    let end = segments[..n].iter().map(|s| s.len() + 1).sum::<usize>() - 1;
                    names.get(&code[..end]).cloned()
                })
                .collect();
            SeedRegion {
                code: code.to_owned(),
                name,
                level: segments.len(),
                parents,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_names_and_resolves_parents() {
        let csv = "kode,nama\n33,Jawa Tengah\n33.24,Kabupaten Kendal\n33.24.12,Kendal\n\
                   33.24.12.1001,\"Pegulon I,II\"\n";
        let rows = parse_wilayah(csv);
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[3],
            SeedRegion {
                code: "33.24.12.1001".into(),
                name: "Pegulon I,II".into(),
                level: 4,
                parents: vec![
                    "Kendal".into(),
                    "Kabupaten Kendal".into(),
                    "Jawa Tengah".into()
                ],
            }
        );
        assert!(rows[0].parents.is_empty());
    }

    #[test]
    fn the_bundled_data_covers_the_whole_country() {
        let rows = parse_wilayah(WILAYAH_CSV);
        assert_eq!(rows.len(), 91_599);
        assert_eq!(rows.iter().filter(|r| r.level == 1).count(), 38);
        let kendal_districts = rows
            .iter()
            .filter(|r| r.level == 3 && r.code.starts_with("33.24."))
            .count();
        assert_eq!(kendal_districts, 20);
        assert!(
            rows.iter().all(|r| r.parents.len() == r.level - 1),
            "every parent resolves"
        );
    }
}
