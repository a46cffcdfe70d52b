//! Rendering in a task of its own, after the current one.
//!
//! On a slow phone the app's start is one long task that blocks input; parts of a page that are
//! below the fold, or empty at first, are rendered a moment later in separate short tasks.

use std::time::Duration;

use leptos::prelude::*;

/// Renders `children` once the current task has finished.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), Duration::ZERO);
    move || ready.get().then(|| children())
}
