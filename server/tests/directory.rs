//! Region and agency search as the form's comboboxes use it: the start of any word, accents
//! and case ignored, best matches first, a bounded `limit`; the index built for databases
//! seeded before it existed; and no directory list without a bound.

mod common;

use common::Server;
use serde_json::Value;

fn found(server: &Server, path: &str) -> Vec<Value> {
    let r = server.get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json().as_array().unwrap().clone()
}

fn ids(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

#[test]
fn regions_are_found_by_the_start_of_their_words() {
    let server = Server::start("directory-regions");
    // Typing: a few letters of Weleri find it among the districts, a few more first, with
    // or without an accent.
    let list = found(&server, "/api/v1/regions?q=wel");
    assert!(ids(&list[..6]).contains(&"33.24.12"), "{list:?}");
    for q in ["weler", "W%C3%A9LER", "weleri"] {
        let list = found(&server, &format!("/api/v1/regions?q={q}"));
        assert_eq!(list[0]["id"], "33.24.12", "{q}: {list:?}");
        assert_eq!(list[0]["name"], "Weleri");
        assert_eq!(list[0]["level"], "district");
    }
    // "kendal" is where the regency's name starts, past its designation: it comes first,
    // before the district and the villages of that name.
    let list = found(&server, "/api/v1/regions?q=kendal");
    assert_eq!(list[0]["id"], "33.24", "{list:?}");
    assert_eq!(list[0]["name"], "Kabupaten Kendal");
    assert!(ids(&list).contains(&"33.24.15"), "the district Kendal");
    let levels: Vec<&str> = list.iter().map(|r| r["level"].as_str().unwrap()).collect();
    let mut by_size = levels.clone();
    by_size.sort_by_key(|l| {
        ["province", "regency", "district", "village"]
            .iter()
            .position(|x| x == l)
    });
    assert_eq!(levels, by_size, "larger regions first");
    // A second word may name the regency the place lies in.
    let list = found(&server, "/api/v1/regions?q=weleri%20kendal");
    assert_eq!(ids(&list)[..2], ["33.24.12", "33.24.12.2007"], "{list:?}");
    assert_eq!(list[0]["parents"][0], "Kabupaten Kendal");
    assert_eq!(
        found(&server, "/api/v1/regions?q=Kab.%20Kendal")[0]["id"],
        "33.24"
    );
    // One letter finds nothing: every village would match.
    assert!(found(&server, "/api/v1/regions?q=w").is_empty());
    // One by its code, as a shared list's URL names it.
    let weleri = found(&server, "/api/v1/regions?id=33.24.12");
    assert_eq!(weleri.len(), 1);
    assert_eq!(weleri[0]["name"], "Weleri");
    assert_eq!(weleri[0]["parents"][0], "Kabupaten Kendal");
    assert!(found(&server, "/api/v1/regions?id=99.99").is_empty());
}

#[test]
fn a_search_answers_at_most_its_limit_and_refuses_one_above_the_maximum() {
    let server = Server::start("directory-limit");
    assert_eq!(
        found(&server, "/api/v1/regions?q=ka").len(),
        20,
        "the default"
    );
    assert_eq!(found(&server, "/api/v1/regions?q=ka&limit=50").len(), 50);
    assert_eq!(found(&server, "/api/v1/regions?q=ka&limit=3").len(), 3);
    assert_eq!(found(&server, "/api/v1/agencies?limit=2").len(), 2);
    for path in [
        "/api/v1/regions?q=ka&limit=51",
        "/api/v1/regions?q=ka&limit=0",
        "/api/v1/agencies?limit=101",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert_eq!(r.json()["title"], "Parameter di luar batas");
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(
            detail.contains("`limit`") && detail.contains("harus antara 1 dan"),
            "{detail}"
        );
        let r = server.request("GET", path, &[("Accept-Language", "en")], None);
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["title"], "Parameter out of range");
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("must be between 1 and"), "{detail}");
    }
    let r = server.get("/api/v1/regions?q=ka&limit=many");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["title"], "Parameter tidak valid");
}

#[test]
fn agencies_are_found_by_the_start_of_their_words_in_any_order() {
    let server = Server::start("directory-agencies");
    let names = |path: &str| -> Vec<String> {
        found(&server, path)
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names("/api/v1/agencies?q=kendal%20k%C3%A9seh"),
        ["Dinas Kesehatan Kabupaten Kendal"]
    );
    assert_eq!(
        names("/api/v1/agencies?q=pekerjaan%20umum%20kendal"),
        ["Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal"]
    );
    // Larger tiers first: the regency's government before its agencies.
    let kendal = found(&server, "/api/v1/agencies?q=kendal");
    assert_eq!(kendal[0]["id"], "kab-kendal", "{kendal:?}");
    assert!(kendal.len() > 5);
    // Not a part of a word: no word of "Kementerian …" starts with "enteri".
    assert!(names("/api/v1/agencies?q=enteri").is_empty());
    // Without a search, every agency (national first), under a parent if asked.
    assert_eq!(found(&server, "/api/v1/agencies").len(), 18);
    let under = found(&server, "/api/v1/agencies?parent=kab-kendal&q=dinas");
    assert_eq!(under.len(), 6);
    assert!(under.iter().all(|a| a["parent_id"] == "kab-kendal"));
    // One by its id, as a pre-selected agency is looked up, wherever it would be listed.
    let last = found(&server, "/api/v1/agencies").pop().unwrap();
    let path = format!(
        "/api/v1/agencies?id={}&limit=1",
        last["id"].as_str().unwrap()
    );
    assert_eq!(found(&server, &path), [last]);
    assert!(found(&server, "/api/v1/agencies?id=nope").is_empty());
}

/// A database from before the search index: its migration and the seed build the index on the
/// next start.
#[test]
fn a_database_seeded_before_the_index_is_indexed_on_start() {
    let mut server = Server::start("directory-upgrade");
    let data = server.data.clone();
    server.kill_hard();
    {
        let conn = rusqlite::Connection::open(data.join("lapor.sqlite3")).unwrap();
        // Migration 6 added the index; 5 is the last before it.
        conn.execute_batch(
            "DROP TABLE region_keys; DROP TABLE agency_keys; PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let server = Server::start_on(data);
    assert_eq!(
        found(&server, "/api/v1/regions?q=weleri%20kendal")[0]["id"],
        "33.24.12"
    );
    assert_eq!(
        found(&server, "/api/v1/agencies?q=kesehatan%20kendal")[0]["id"],
        "kendal-dinkes"
    );
}

/// Categories (Open311's services too) and the FAQ take no `limit`: the seed holds a handful,
/// and a database that holds many more still gets a bounded answer.
#[test]
fn the_seeded_lists_are_bounded_too() {
    let mut server = Server::start("directory-bounds");
    let data = server.data.clone();
    server.kill_hard();
    {
        let conn = rusqlite::Connection::open(data.join("lapor.sqlite3")).unwrap();
        for i in 0..500 {
            conn.execute(
                "INSERT INTO categories (id, name_id, name_en, position) VALUES (?1, ?1, ?1, ?2)",
                rusqlite::params![format!("extra-{i}"), 100 + i],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO faq (id, locale, category, question, answer, position)
                 VALUES (?1, 'id', 'x', 'q', 'a', ?2)",
                rusqlite::params![format!("extra-{i}"), 100 + i],
            )
            .unwrap();
        }
    }
    let server = Server::start_on(data);
    assert_eq!(found(&server, "/api/v1/categories").len(), 200);
    assert_eq!(found(&server, "/open311/v2/services.json").len(), 200);
    assert_eq!(found(&server, "/api/v1/faq?locale=id").len(), 200);
}
