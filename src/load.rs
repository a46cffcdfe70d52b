//! Loading data from the backend into a signal: the fetch runs again whenever a signal it
//! reads changes, or on `refetch`, and late answers to earlier fetches are dropped.
//!
//! A lighter stand-in for `LocalResource`: its async machinery costs the wasm tens of KB per
//! loaded type, this costs a spawned future and two signals.

use std::future::Future;

use leptos::prelude::*;

pub struct Loaded<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    trigger: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    pub fn new<Fut: Future<Output = T> + 'static>(fetch: impl Fn() -> Fut + 'static) -> Loaded<T> {
        let value = RwSignal::new(None);
        let trigger = RwSignal::new(0u32);
        let generation = StoredValue::new(0u32);
        Effect::new(move |_| {
            trigger.track();
            let future = fetch();
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            leptos::task::spawn_local(async move {
                let result = future.await;
                if generation.get_value() == mine {
                    value.set(Some(result));
                }
            });
        });
        Loaded { value, trigger }
    }

    /// The latest answer; `None` until the first one arrives.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    pub fn refetch(&self) {
        self.trigger.update(|n| *n += 1);
    }
}
