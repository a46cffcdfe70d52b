//! Split points: functions whose code release builds move out of the main wasm module into a
//! file of its own, fetched the first time the function is called (wasm-split; `cargo xtask`
//! does the cutting, see `xtask/src/split.rs`).
//!
//! [`split_point!`] declares such a function once for both kinds of build: in release builds it
//! carries `wasm_split` (re-exported by Leptos) in its fallible form, so a file that cannot be
//! fetched is a [`ChunkMissing`] error instead of an abort; in debug builds (`trunk serve`,
//! clippy, host tests) it is a plain async function linked into the one wasm.

/// Room in the constant data for wasm-split. It lays the data segment out again, module by
/// module, and each module's part starts aligned: should the padding make the segment longer
/// than it was, wasm-split puts it whole in the main module (every page's text downloaded on
/// every first visit; `cargo xtask build` fails then, see `xtask/src/split.rs`). Nothing uses
/// these bytes, so no module carries them: they only lengthen the segment.
#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
#[used]
static SPLIT_DATA_SLACK: [u8; 4096] = [0x5a; 4096];

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
/// `split_point!([preload fetch_name] fn name(…) …)` also declares `async fn fetch_name()`,
/// which fetches that file ahead of the first call (its error is of no use: the call reports).
/// A visibility (`pub`, `pub(super)`, …) before `fn` is the declared function's.
/// `split_point!([module file] …)` puts the function in the file `file` with every other split
/// point naming it (by default each function has a file of its own): functions used together,
/// such as the Open311 dialect's requests, then come in one file instead of several files and
/// wasm-split's chunks of the code they share (each chunk costs its imports and exports).
macro_rules! split_point {
    ($([preload $preload:ident])? $(#[$doc:meta])* $(pub $(($($restrict:tt)+))?)? fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $output:ty $body:block) => {
        $crate::split::split_point!(
            [module $name] $([preload $preload])? $(#[$doc])* $(pub $(($($restrict)+))?)? fn $name($($arg: $ty),*) -> $output $body
        );
    };
    ([module $module:ident] $([preload $preload:ident])? $(#[$doc:meta])* $(pub $(($($restrict:tt)+))?)? fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $output:ty $body:block) => {
        $(#[$doc])*
        #[cfg(not(debug_assertions))]
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            $(preload($preload),)?
            fallible
        )]
        $(pub $(($($restrict)+))?)? fn $name($($arg: $ty),*) -> Result<$output, $crate::split::ChunkMissing> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(debug_assertions)]
        $(pub $(($($restrict)+))?)? async fn $name($($arg: $ty),*) -> Result<$output, $crate::split::ChunkMissing> {
            Ok($body)
        }

        $(
            #[cfg(debug_assertions)]
            async fn $preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

pub(crate) use split_point;
