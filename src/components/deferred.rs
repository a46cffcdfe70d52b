//! A part of a page whose code comes from a split point (`crate::split`): the page draws at
//! once, the part once its file is here.

use std::future::Future;

use leptos::prelude::*;

use crate::split::ChunkMissing;

/// The view `load` gives, once its code is here: nothing while the file is on its way, and
/// `missing()` in its place if it cannot be fetched (offline before it was ever kept).
pub fn deferred<V: IntoView + 'static>(
    load: impl Future<Output = Result<AnyView, ChunkMissing>> + 'static,
    missing: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let loaded = RwSignal::new(None::<bool>);
    let part = StoredValue::new_local(None::<AnyView>);
    leptos::task::spawn_local_scoped(async move {
        match load.await {
            Ok(view) => {
                part.set_value(Some(view));
                loaded.set(Some(true));
            }
            Err(ChunkMissing) => loaded.set(Some(false)),
        }
    });
    move || match loaded.get()? {
        true => part.try_update_value(Option::take).flatten(),
        false => Some(missing().into_any()),
    }
}
