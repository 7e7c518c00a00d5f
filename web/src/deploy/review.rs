//! The review: what the order is, derived from its inputs every time (the SDL, the deposit, the
//! network, the signer), so the page never shows one order and signs another.

use leasekit_deploy::network::Network;
use leasekit_deploy::order::{MessageTexts, OrderSummary};
use leasekit_tx::msgs::Coin;
use leptos::prelude::*;

use super::DeployCtl;

/// What a review was made of. A review is shown only for the inputs it was made from, so the
/// page never shows one order and signs another (after "New deployment", an edit, a network or
/// account switch, an older simulation's answer is simply not used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInputs {
    /// The SDL text.
    pub sdl: String,
    /// The deposit field.
    pub deposit: String,
    /// The network, with its URLs.
    pub network: Network,
    /// The signer's address, once a wallet is connected.
    pub owner: Option<String>,
}

/// The review screen's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// What it was made of.
    pub inputs: ReviewInputs,
    /// The order in words.
    pub lines: Vec<String>,
    /// The message, exact and readable, once a wallet names the owner.
    pub message: Option<MessageTexts>,
    /// The manifest version hash (hex) the message carries: what the tenant signs.
    pub version: String,
    /// Why the chain would refuse the message (signing is disabled with this beside it).
    pub refusal: Option<String>,
    /// The engine's safe fixes of the chain's rules (`chain-…` warnings): their label and the
    /// SDL with all of them applied, the review's one-click way past the refusal.
    pub chain_fix: Option<(String, String)>,
    /// Whether the fee comes from a simulation (else it is the fallback gas's).
    pub simulated: bool,
}

/// The review of `sdl` with `deposit` on `network`: the order in words (fee for the fallback gas
/// until a wallet can simulate) and, for an owner, the message it will sign at height `dseq`.
///
/// # Errors
/// The SDL has errors, or the deposit is not a coin.
pub fn local_review(inputs: &ReviewInputs, dseq: u64) -> Result<Review, String> {
    let built = leasekit_sdl::build(&inputs.sdl);
    let Some(output) = built.output else {
        return Err("The SDL has errors: fix them in the Build view, then review the order here.".to_owned());
    };
    let deposit = Coin::parse(inputs.deposit.trim()).map_err(|e| format!("Deposit: {}", e.message))?;
    let network = &inputs.network;
    let summary = OrderSummary::new(&output, &deposit, &network.fee(network.fallback_gas), network.block_time_ms);
    let mut review = review_of(inputs.clone(), &summary, dseq, false);
    review.chain_fix = leasekit_deploy::order::chain_fix(&inputs.sdl, &built.diagnostics);
    Ok(review)
}

/// The review of `summary`, made from `inputs`.
pub(super) fn review_of(inputs: ReviewInputs, summary: &OrderSummary, dseq: u64, simulated: bool) -> Review {
    Review {
        lines: summary.lines(),
        message: inputs.owner.as_deref().map(|owner| summary.message_texts(owner, dseq)),
        version: summary.version_hex.clone(),
        refusal: summary.refusal(),
        chain_fix: None,
        simulated,
        inputs,
    }
}

/// The review of the order: in words, with the version hash the message carries and the exact
/// message JSON, the deposit field, and "Sign and create deployment" — disabled with the chain's
/// reason (and the engine's one-click fix) whenever the chain would refuse the message.
#[component]
pub(super) fn ReviewPanel(
    /// The wizard.
    ctl: DeployCtl,
) -> impl IntoView {
    let wallet = ctl.wallet;
    // The review: the local one at once, replaced by the simulated one when it arrives. The
    // section itself is built once, so an open "Message JSON" stays open when the fee arrives.
    // A simulated review is used only while its inputs are the current ones.
    let review = Memo::new(move |_| {
        let inputs = ctl.review_inputs();
        let local = local_review(&inputs, ctl.height.get().unwrap_or(1));
        let simulated = ctl.review.get().filter(|r| r.as_ref().map_or(true, |r| r.inputs == inputs));
        match (simulated, local) {
            (Some(Ok(simulated)), Ok(local)) => (Ok(Review { chain_fix: local.chain_fix, ..simulated }), None),
            (Some(Err(message)), Ok(local)) => (Ok(local), Some(message)),
            (_, local) => (local, None),
        }
    });
    let refusal = move || review.with(|(r, _)| r.as_ref().ok().and_then(|r| r.refusal.clone()));
    let can_sign = move || {
        review.with(|(r, _)| r.as_ref().is_ok_and(|r| r.refusal.is_none())) && wallet.wallet.with(Option::is_some)
    };
    let lines = move || match review.get().0 {
        Ok(review) => view! {
            <ul class="order-lines">
                {review.lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
            </ul>
            <p class="review-version">
                "Manifest version (what you sign): "
                <code data-testid="review-version">{review.version.clone()}</code>
            </p>
            <p class="hint">
                {if review.simulated {
                    "The fee is the simulated gas × 1.5 at the network's gas price; the wallet may change it."
                } else {
                    "The fee shown is for the fallback gas limit; with a wallet connected it is simulated."
                }}
            </p>
        }
        .into_any(),
        Err(message) => view! { <p class="unavailable">{message}</p> }.into_any(),
    };
    let simulate_error = move || {
        review.get().1.map(|m| view! { <p class="hint">{format!("Could not simulate the transaction: {m}")}</p> })
    };
    let json = move || match review.get().0.ok().and_then(|r| r.message) {
        // Hash in hex and coins in ACT/AKT; the exact JSON (base64 bytes, micro-units) a click
        // away, as it is signed.
        Some(MessageTexts { exact, readable }) => view! {
            <pre class="json" data-testid="message-json-readable" tabindex="0">{readable}</pre>
            <details class="message-json-exact">
                <summary>"Exact JSON (as signed)"</summary>
                <pre class="json" data-testid="message-json" tabindex="0">{exact}</pre>
            </details>
            <p class="hint">"The deployment sequence (dseq) is the chain's block height when you sign."</p>
        }
        .into_any(),
        None => view! {
            <p class="hint" data-testid="message-json-unavailable">
                "Connect a wallet and write a valid SDL: the message names the wallet's account as the owner."
            </p>
        }
        .into_any(),
    };
    view! {
        <section class="panel deploy-panel" aria-labelledby="review-heading">
            <div class="panel-header">
                <h2 id="review-heading">"Review the order"</h2>
            </div>
            <div class="panel-body">
                <label class="field">
                    <span>"Deposit"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        prop:value=move || ctl.deposit.get()
                        on:change=move |event| ctl.deposit.set(event_target_value(&event).trim().to_owned())
                    />
                </label>
                {lines}
                {simulate_error}
                <details class="message-json">
                    <summary>"Message JSON"</summary>
                    {json}
                </details>
                <div class="actions">
                    <button
                        type="button"
                        class="button primary"
                        disabled=move || !can_sign() || ctl.running.get()
                        on:click=move |_| ctl.create()
                    >
                        "Sign and create deployment"
                    </button>
                    {move || match refusal() {
                        Some(reason) => {
                            let fix = review.with(|(r, _)| r.as_ref().ok().and_then(|r| r.chain_fix.clone()));
                            Some(view! {
                                <span class="field-error" data-testid="sign-refusal">
                                    {format!("The chain would refuse this order: {reason}.")}
                                </span>
                                {fix.map(|(label, fixed)| view! {
                                    <button type="button" class="button small" data-testid="review-fix"
                                        on:click=move |_| ctl.replace_sdl(fixed.clone())>
                                        {label}
                                    </button>
                                })}
                                {leasekit_deploy::order::deposit_fix(&ctl.deposit.get()).map(|(label, fixed)| view! {
                                    <button type="button" class="button small" data-testid="deposit-fix"
                                        on:click=move |_| ctl.deposit.set(fixed.clone())>
                                        {label}
                                    </button>
                                })}
                            }.into_any())
                        }
                        None => wallet
                            .wallet
                            .with(Option::is_none)
                            .then(|| view! { <span class="hint">"Connect a wallet above to sign."</span> }.into_any()),
                    }}
                </div>
            </div>
        </section>
    }
}
