//! Split points: functions whose code release builds move out of the main wasm module into a
//! file of its own, fetched the first time the function is called (wasm-split; `cargo xtask`
//! does the cutting, see `xtask/src/split.rs`).
//!
//! [`split_point!`] declares such a function once for both kinds of build: in release builds it
//! carries `wasm_split` (re-exported by Leptos) in its fallible form, so a file that cannot be
//! fetched is a [`ChunkMissing`] error instead of an abort; in debug builds (`trunk serve`,
//! clippy, host tests) it is a plain async function linked into the one wasm.

/// A split-off part of the app could not be fetched (offline before it was ever cached).
#[derive(Debug)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// `split_point!(fn name(arg: Type, …) -> Output { body })` declares
/// `async fn name(arg: Type, …) -> Result<Output, ChunkMissing>` whose body runs from a
/// split-off file in release builds. Arguments and output cross the split by value.
macro_rules! split_point {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $output:ty $body:block) => {
        $(#[$doc])*
        #[cfg(not(debug_assertions))]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> Result<$output, $crate::split::ChunkMissing> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(debug_assertions)]
        $vis async fn $name($($arg: $ty),*) -> Result<$output, $crate::split::ChunkMissing> {
            Ok($body)
        }
    };
}

pub(crate) use split_point;
