//! A part of a page whose code comes from a split point (`crate::split`): the page draws at
//! once, the part once its file is here.

use std::future::Future;

use leptos::prelude::*;

use crate::split::ChunkMissing;

/// The view `load` gives, once its code is here: nothing while the file is on its way, and
/// `missing()` in its place if it cannot be fetched (offline before it was ever kept). The
/// wait ends with the part's owner: a page left before its file came builds nothing (its
/// context is gone, and building it then would take the app down).
pub fn deferred<V: IntoView + 'static>(
    load: impl Future<Output = Result<AnyView, ChunkMissing>> + 'static,
    missing: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    deferred_or(load, || (), missing)
}

/// [`deferred`] with `waiting()` in the part's place while its file is on its way (the part's
/// shape, so nothing moves when it arrives).
pub fn deferred_or<W: IntoView + 'static, V: IntoView + 'static>(
    load: impl Future<Output = Result<AnyView, ChunkMissing>> + 'static,
    waiting: impl Fn() -> W + Send + Sync + 'static,
    missing: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let loaded = RwSignal::new(None::<bool>);
    let part = StoredValue::new_local(None::<AnyView>);
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        match load.await {
            Ok(view) => {
                part.set_value(Some(view));
                loaded.set(Some(true));
            }
            Err(ChunkMissing) => loaded.set(Some(false)),
        }
    });
    move || match loaded.get() {
        None => Some(waiting().into_any()),
        Some(true) => part.try_update_value(Option::take).flatten(),
        Some(false) => Some(missing().into_any()),
    }
}
