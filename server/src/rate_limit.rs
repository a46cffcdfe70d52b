//! Limits that fit real networks: who the client is (behind trusted proxies, IPv6 by /64),
//! token buckets per purpose (writes, lookups), a back-off for failed secrets per client and
//! per target, and a budget of upload bytes in flight. Every map is bounded.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Entries a limiter keeps at most; beyond, the stalest are forgotten first.
const MAX_ENTRIES: usize = 20_000;

/// Forgets entries `forgettable` says may go, then the least recently touched ones, when a map
/// holds more than `MAX_ENTRIES`, so that no flood of addresses can grow it without bound.
fn evict<K: Clone + Eq + Hash, V>(
    map: &mut HashMap<K, V>,
    forgettable: impl Fn(&V) -> bool,
    touched: impl Fn(&V) -> Instant,
) {
    if map.len() <= MAX_ENTRIES {
        return;
    }
    map.retain(|_, v| !forgettable(v));
    if map.len() > MAX_ENTRIES * 3 / 4 {
        let mut by_age: Vec<(Instant, K)> =
            map.iter().map(|(k, v)| (touched(v), k.clone())).collect();
        by_age.sort_unstable_by_key(|(at, _)| *at);
        let excess = map.len() - MAX_ENTRIES * 3 / 4;
        for (_, key) in by_age.into_iter().take(excess) {
            map.remove(&key);
        }
    }
}

/// The key a client is limited by: its IPv4 address, or the /64 of its IPv6 address (one
/// household or phone gets a whole /64, so single addresses would be a million buckets).
pub fn client_key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(prefix.into())
        }
        v4 => v4,
    }
}

/// The client's address: the peer itself, unless the peer is a trusted proxy; then the
/// right-most address in `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a
/// trusted proxy. Forwarded headers from any other peer are ignored: anyone can write them.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("?").split(','))
        .map(parse_hop)
        .collect();
    if hops.is_empty() {
        hops = headers
            .get_all("forwarded")
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("for=?").split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_hop(value))
                })
            })
            .collect();
    }
    // Walk from the proxy nearest to us outwards; stop at the first hop we do not trust. An
    // unreadable hop cannot be trusted either: the last trusted one stands for the client.
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip,
            None => return client,
        }
    }
    client
}

/// One hop of a forwarded header: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`; `None` for `unknown`, obfuscated names and garbage.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let value = raw.trim().trim_matches('"');
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse::<IpAddr>().ok();
    }
    let (host, port) = value.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A token bucket per client key: `burst` requests at once, refilled at `per_second`.
pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(burst: u32, per_second: f64) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst),
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`; `Err(seconds)` says how long to wait when none is left.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        self.take(client, 1, now)
    }

    /// Takes `tokens` (at most the burst) for `client`, or none and `Err(seconds to wait)`.
    pub fn take(&self, client: IpAddr, tokens: u32, now: Instant) -> Result<(), u64> {
        let wanted = f64::from(tokens).clamp(1.0, self.burst.max(1.0));
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (burst, rate) = (self.burst, self.per_second);
        evict(
            &mut buckets,
            |(tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate >= burst,
            |(_, at)| *at,
        );
        let (tokens, at) = buckets.entry(client).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= wanted {
            *tokens -= wanted;
            Ok(())
        } else {
            Err(((wanted - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Failures a client may have before it waits; a target (one report, the admin API) allows
/// more, as many clients share it, but not a botnet's worth.
pub const FREE_FAILURES_PER_CLIENT: u32 = 5;
pub const FREE_FAILURES_PER_TARGET: u32 = 20;
/// The first wait; each further failure doubles it, up to `MAX_WAIT`.
const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures are forgotten after this long without a new one.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum SecretKey {
    Client(IpAddr),
    Target(String),
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    fn wait(&self, free: u32) -> Duration {
        match self.count.checked_sub(free) {
            None => Duration::ZERO,
            Some(doublings) => FIRST_WAIT
                .saturating_mul(1u32 << doublings.min(20))
                .min(MAX_WAIT),
        }
    }
}

/// Back-off for wrong secrets (access codes, the admin token, Open311 api_keys), counted per
/// client and per target: after a few failures every attempt of that client waits, the right
/// secret too, and the wait doubles with each further failure. A target's failures (many
/// guessers together) slow down only clients that have guessed wrong themselves: a client with
/// a clean record is never refused, so nobody can lock a reporter out of their own report, or
/// an agency out of the admin API, by guessing at it.
#[derive(Default)]
pub struct SecretGuard {
    failures: Mutex<HashMap<SecretKey, Failures>>,
}

impl SecretGuard {
    /// `Err(seconds)` while `client` must wait before the next attempt: its own failures, or
    /// (once it has failed itself) the target's.
    pub fn allowed(&self, client: IpAddr, target: &str, now: Instant) -> Result<(), u64> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let recent = |key: &SecretKey| {
            failures
                .get(key)
                .is_some_and(|f| now.duration_since(f.last) < FORGET_AFTER)
        };
        if !recent(&SecretKey::Client(client)) {
            return Ok(());
        }
        let until = [
            (SecretKey::Client(client), FREE_FAILURES_PER_CLIENT),
            (
                SecretKey::Target(target.to_owned()),
                FREE_FAILURES_PER_TARGET,
            ),
        ]
        .into_iter()
        .filter_map(|(key, free)| {
            let f = failures.get(&key)?;
            (now.duration_since(f.last) < FORGET_AFTER).then(|| f.last + f.wait(free))
        })
        .max();
        match until {
            Some(until) if until > now => Err((until - now).as_secs_f64().ceil().max(1.0) as u64),
            _ => Ok(()),
        }
    }

    /// Counts a wrong secret against `client` and `target`.
    pub fn failed(&self, client: IpAddr, target: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in [
            SecretKey::Client(client),
            SecretKey::Target(target.to_owned()),
        ] {
            let f = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(f.last) >= FORGET_AFTER {
                f.count = 0;
            }
            f.count = f.count.saturating_add(1);
            f.last = now;
        }
        evict(
            &mut failures,
            |f| now.duration_since(f.last) >= FORGET_AFTER,
            |f| f.last,
        );
    }

    /// The right secret for `target`: its failures are forgiven. The client's are not, so
    /// that knowing one report's code does not reset guessing at others.
    pub fn succeeded(&self, target: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&SecretKey::Target(target.to_owned()));
    }
}

/// Upload bytes being received at once, server-wide and per client, so that many parallel
/// uploads are refused at once instead of all being buffered.
pub struct UploadBudget {
    total: u64,
    per_client: u64,
    in_flight: Mutex<(u64, HashMap<IpAddr, u64>)>,
}

/// Why an upload may not start now.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadRefusal {
    /// This client already sends as much as one client may.
    ClientFull,
    /// The server receives as much as it may.
    ServerFull,
}

/// Bytes reserved for one upload, given back when dropped.
pub struct UploadReservation {
    budget: Arc<UploadBudget>,
    client: IpAddr,
    bytes: u64,
}

impl UploadBudget {
    pub fn new(total: u64, per_client: u64) -> UploadBudget {
        UploadBudget {
            total,
            per_client,
            in_flight: Mutex::new((0, HashMap::new())),
        }
    }

    /// Reserves `bytes` for an upload by `client`, or says why not.
    pub fn reserve(
        self: &Arc<Self>,
        client: IpAddr,
        bytes: u64,
    ) -> Result<UploadReservation, UploadRefusal> {
        let mut guard = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        let (total, clients) = &mut *guard;
        let mine = clients.get(&client).copied().unwrap_or(0);
        if mine > 0 && mine + bytes > self.per_client {
            return Err(UploadRefusal::ClientFull);
        }
        if *total > 0 && *total + bytes > self.total {
            return Err(UploadRefusal::ServerFull);
        }
        *total += bytes;
        clients.insert(client, mine + bytes);
        Ok(UploadReservation {
            budget: self.clone(),
            client,
            bytes,
        })
    }
}

impl Drop for UploadReservation {
    fn drop(&mut self) {
        let mut guard = self
            .budget
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (total, clients) = &mut *guard;
        *total -= self.bytes;
        if let Some(mine) = clients.get_mut(&self.client) {
            *mine -= self.bytes;
            if *mine == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_is_refused_until_tokens_refill() {
        let limiter = RateLimiter::new(3, 1.0);
        let a = ip("127.0.0.1");
        let b = ip("127.0.0.2");
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(a, t0), Ok(()));
        }
        assert_eq!(limiter.check(a, t0), Err(1));
        assert_eq!(
            limiter.check(b, t0),
            Ok(()),
            "other clients are not affected"
        );
        assert_eq!(limiter.check(a, t0 + Duration::from_millis(1100)), Ok(()));
    }

    #[test]
    fn ipv6_addresses_in_one_64_share_a_bucket() {
        let one = client_key(ip("2001:db8:1:2::1"));
        let other = client_key(ip("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        let next_net = client_key(ip("2001:db8:1:3::1"));
        assert_eq!(one, other);
        assert_ne!(one, next_net);
        assert_eq!(client_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        let limiter = RateLimiter::new(2, 1.0);
        let t0 = Instant::now();
        assert_eq!(limiter.check(one, t0), Ok(()));
        assert_eq!(limiter.check(other, t0), Ok(()));
        assert!(
            limiter
                .check(client_key(ip("2001:db8:1:2::99")), t0)
                .is_err()
        );
        assert_eq!(limiter.check(next_net, t0), Ok(()));
    }

    #[test]
    fn maps_stay_bounded_under_a_flood_of_addresses() {
        let limiter = RateLimiter::new(5, 0.001);
        let t0 = Instant::now();
        for n in 0..(MAX_ENTRIES as u32 + 5_000) {
            let _ = limiter.check(IpAddr::V4(n.into()), t0);
        }
        assert!(limiter.buckets.lock().unwrap().len() <= MAX_ENTRIES);
        let guard = SecretGuard::default();
        for n in 0..(MAX_ENTRIES as u32 + 5_000) {
            guard.failed(IpAddr::V4(n.into()), "admin", t0);
        }
        assert!(guard.failures.lock().unwrap().len() <= MAX_ENTRIES);
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = headers(&[("X-Forwarded-For", "198.51.100.9, 203.0.113.5, 10.1.1.1")]);
        // The right-most untrusted hop; the spoofable left part is ignored.
        assert_eq!(
            client_address(ip("10.0.0.2"), &xff, &trusted),
            ip("203.0.113.5")
        );
        // From the internet, the header is anyone's to write.
        assert_eq!(
            client_address(ip("192.0.2.1"), &xff, &trusted),
            ip("192.0.2.1")
        );
        let forwarded = headers(&[(
            "Forwarded",
            "for=198.51.100.9;proto=https, for=\"[2001:db8::7]:4711\"",
        )]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.2"), &forwarded, &trusted),
            ip("2001:db8::7")
        );
        let garbage = headers(&[("X-Forwarded-For", "203.0.113.5, nonsense")]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &garbage, &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(parse_hop("192.0.2.1:8080"), Some(ip("192.0.2.1")));
        assert_eq!(parse_hop("unknown"), None);
    }

    #[test]
    fn wrong_secrets_make_every_attempt_wait_longer() {
        let guard = SecretGuard::default();
        let (me, other) = (ip("192.0.2.1"), ip("192.0.2.2"));
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES_PER_CLIENT - 1 {
            guard.failed(me, "K7M2QX9PD", t0);
        }
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t0), Ok(()));
        guard.failed(me, "K7M2QX9PD", t0);
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t0), Err(1));
        assert_eq!(
            guard.allowed(me, "ANOTHER", t0),
            Err(1),
            "the client waits whatever it tries next"
        );
        assert_eq!(guard.allowed(other, "K7M2QX9PD", t0), Ok(()));
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t1), Ok(()));
        guard.failed(me, "K7M2QX9PD", t1);
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t1), Err(2));
        let t2 = t1 + Duration::from_secs(2);
        guard.failed(me, "K7M2QX9PD", t2);
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t2), Err(4));
        // Knowing another report's code forgives nothing of the client's.
        guard.succeeded("MINE");
        assert_eq!(guard.allowed(me, "MINE", t2), Err(4));
        // Failures are forgotten in the end.
        assert_eq!(guard.allowed(me, "K7M2QX9PD", t2 + FORGET_AFTER), Ok(()));
    }

    #[test]
    fn many_clients_failing_on_one_target_make_its_guessers_wait_never_the_others() {
        let guard = SecretGuard::default();
        let t0 = Instant::now();
        for n in 0..FREE_FAILURES_PER_TARGET {
            guard.failed(IpAddr::V4((0xC000_0200 + n).into()), "admin", t0);
        }
        // One of the guessers, with a single failure of its own: the target's back-off holds.
        let guesser = IpAddr::V4(0xC000_0200.into());
        assert_eq!(guard.allowed(guesser, "admin", t0), Err(1));
        // A client with a clean record is never locked out of the target.
        let newcomer = ip("198.51.100.1");
        assert_eq!(guard.allowed(newcomer, "admin", t0), Ok(()));
        guard.succeeded("admin");
        assert_eq!(guard.allowed(guesser, "admin", t0), Ok(()));
    }

    #[test]
    fn uploads_beyond_the_budget_are_refused_and_bytes_come_back() {
        let budget = Arc::new(UploadBudget::new(300, 200));
        let (a, b) = (ip("192.0.2.1"), ip("192.0.2.2"));
        let first = budget.reserve(a, 150).unwrap();
        assert_eq!(
            budget.reserve(a, 100).err(),
            Some(UploadRefusal::ClientFull)
        );
        let second = budget.reserve(b, 100).unwrap();
        assert_eq!(
            budget.reserve(ip("192.0.2.3"), 100).err(),
            Some(UploadRefusal::ServerFull)
        );
        drop(first);
        drop(second);
        assert!(budget.reserve(a, 200).is_ok());
        // One upload larger than a client's share is still let through when it is alone.
        assert!(budget.reserve(b, 250).is_ok());
        assert!(budget.in_flight.lock().unwrap().1.is_empty());
    }
}
