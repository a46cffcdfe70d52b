//! The framework floor: what any Leptos 0.8 CSR app costs before it does anything useful.

use leptos::prelude::*;

#[component]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <main>
            <h1>"Counter"</h1>
            <button type="button" on:click=move |_| *count.write() += 1>
                "Clicked " {move || count.get()} " times"
            </button>
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(Counter);
}
