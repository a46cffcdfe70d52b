//! The lifecycle of a report. Other backends may send statuses we do not know: they are kept
//! as raw text so the app can still show them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Received,
    Verified,
    Forwarded,
    InProgress,
    Resolved,
    Closed,
    Rejected,
    /// A status this portal does not know, exactly as the backend sent it.
    Unknown(String),
}

impl Status {
    /// The main path a report walks, in order (the progress bar of the tracking view).
    pub const LIFECYCLE: [Status; 5] = [
        Status::Received,
        Status::Verified,
        Status::Forwarded,
        Status::InProgress,
        Status::Resolved,
    ];

    /// Every status this portal knows (what a server may store), e.g. to list the final ones.
    pub const KNOWN: [Status; 7] = [
        Status::Received,
        Status::Verified,
        Status::Forwarded,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
        Status::Rejected,
    ];

    pub fn code(&self) -> &str {
        match self {
            Status::Received => "received",
            Status::Verified => "verified",
            Status::Forwarded => "forwarded",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Unknown(raw) => raw,
        }
    }

    pub fn from_code(code: &str) -> Status {
        match code {
            "received" => Status::Received,
            "verified" => Status::Verified,
            "forwarded" => Status::Forwarded,
            "in_progress" => Status::InProgress,
            "resolved" => Status::Resolved,
            "closed" => Status::Closed,
            "rejected" => Status::Rejected,
            other => Status::Unknown(other.to_owned()),
        }
    }

    /// Position on the lifecycle path, if the status is on it. Closed counts as past resolved.
    pub fn lifecycle_step(&self) -> Option<usize> {
        match self {
            Status::Closed => Some(Status::LIFECYCLE.len() - 1),
            s => Status::LIFECYCLE.iter().position(|l| l == s),
        }
    }

    /// Whether the report is finished, so no deadline runs any more.
    pub fn is_final(&self) -> bool {
        matches!(self, Status::Resolved | Status::Closed | Status::Rejected)
    }

    /// Whether an admin may move a report from `self` to `next`.
    pub fn can_move_to(&self, next: &Status) -> bool {
        use Status::*;
        match (self, next) {
            (Unknown(_), _) | (_, Unknown(_)) => false,
            (Closed | Rejected, _) => false,
            (Resolved, Closed | InProgress) => true,
            (Resolved, _) => false,
            (_, Rejected) => true,
            (from, to) => match (from.lifecycle_step(), to.lifecycle_step()) {
                // Forward along the path; "forwarded" again means "not our authority: sent on".
                (Some(a), Some(b)) => b > a || (a == 2 && b == 2),
                _ => false,
            },
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Status::from_code(&raw))
    }
}

/// A string on the wire; the known codes are listed, others are kept (`Unknown`).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Status {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Status".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_statuses_keep_their_raw_label() {
        let s: Status = serde_json::from_str("\"menunggu_dokumen\"").unwrap();
        assert_eq!(s, Status::Unknown("menunggu_dokumen".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"menunggu_dokumen\"");
        assert_eq!(s.lifecycle_step(), None);
    }

    #[test]
    fn known_statuses_round_trip() {
        for s in Status::KNOWN {
            assert_eq!(Status::from_code(s.code()), s);
        }
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        assert!(Status::Received.can_move_to(&Status::Verified));
        assert!(Status::Received.can_move_to(&Status::InProgress));
        assert!(Status::Forwarded.can_move_to(&Status::Forwarded));
        assert!(!Status::InProgress.can_move_to(&Status::Received));
        assert!(Status::Verified.can_move_to(&Status::Rejected));
        assert!(Status::Resolved.can_move_to(&Status::Closed));
        assert!(!Status::Closed.can_move_to(&Status::InProgress));
        assert!(!Status::Rejected.can_move_to(&Status::Verified));
    }
}
