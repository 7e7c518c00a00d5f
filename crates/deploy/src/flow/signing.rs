//! Transactions: sign (simulated gas, the wallet's SIGN_MODE_DIRECT), broadcast, settle by hash, and
//! the state each one leads to.

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// Settles the pending transaction: looks it up, re-broadcasts the same bytes if the chain
    /// never saw it, waits, and moves the state on.
    pub(super) async fn settle(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let Some(pending) = state.pending.clone() else { return Ok(()) };
        let step = match pending.purpose {
            TxPurpose::Create => StepKind::Create,
            TxPurpose::Lease => StepKind::Accept,
            TxPurpose::Update => StepKind::Live,
            TxPurpose::Close => StepKind::Close,
        };
        let landed = match self.look_up(state, &pending, step).await {
            Ok(Some(result)) => Ok(result),
            Err(unsettled) => Err(unsettled),
            Ok(None) => {
                hooks.say(step, format!("Broadcasting transaction {}.", short_hash(&pending.hash)));
                self.broadcast_and_wait(&pending, step, hooks).await
            }
        };
        match landed {
            Ok(result) => {
                self.advance(state, &pending, result.height, hooks);
                Ok(())
            }
            Err(Unsettled { error, definite }) => {
                // A definite outcome (rejected, or included and failed) clears the record so the
                // tenant can sign again; an unknown one keeps it for `resume`.
                if definite {
                    state.pending = None;
                    state.step = Step::Failed { step, message: error.message.clone(), retryable: error.retryable };
                    if pending.purpose == TxPurpose::Create {
                        state.dseq = None;
                    }
                    hooks.save(state);
                }
                Err(error)
            }
        }
    }

    /// What the chain knows of a pending transaction: its result by hash, or the object it
    /// creates (a deployment, a lease) standing in for it. `None`: never seen.
    pub(super) async fn look_up(
        &self,
        state: &DeployState,
        pending: &PendingTx,
        step: StepKind,
    ) -> Result<Option<TxResult>, Unsettled> {
        let unknown =
            |doing: &str, e: &ClientError| Unsettled { error: FlowError::client(step, doing, e), definite: false };
        if let Some(result) =
            self.chain.tx(&pending.hash).await.map_err(|e| unknown("looking up the transaction", &e))?
        {
            if result.code != 0 {
                let message = format!(
                    "the transaction was included but failed: {} (code {})",
                    short(&result.raw_log),
                    result.code
                );
                let error = FlowError { step, message, retryable: true, detail: Some(result.raw_log), rejected: false };
                return Err(Unsettled { error, definite: true });
            }
            return Ok(Some(result));
        }
        // Nodes that do not index transactions never find one by hash: what it created or
        // changed stands in for it.
        let dseq = state.dseq.unwrap_or_default();
        let deployment = || async {
            self.chain.deployment(&state.owner, dseq).await.map_err(|e| unknown("reading the deployment", &e))
        };
        let exists = match pending.purpose {
            TxPurpose::Create => deployment().await?.is_some(),
            // The lease of the accepted bid's group.
            TxPurpose::Lease => {
                let gseq = match &state.step {
                    Step::Accepting { bid, .. } => Some(bid.gseq),
                    _ => None,
                };
                self.chain
                    .leases(&state.owner, Some(dseq))
                    .await
                    .map_err(|e| unknown("listing the leases", &e))?
                    .iter()
                    .any(|l| l.is_live() && gseq.is_none_or(|g| l.id.gseq == g))
            }
            TxPurpose::Update => {
                let version = pending.sdl.as_deref().and_then(|sdl| leasekit_sdl::build(sdl).output).map(|o| o.version);
                deployment().await?.is_some_and(|d| version.is_some_and(|v| d.hash == v))
            }
            TxPurpose::Close => deployment().await?.is_some_and(|d| d.state == "closed"),
        };
        Ok(exists.then(|| TxResult { height: 0, code: 0, codespace: String::new(), raw_log: String::new() }))
    }
    pub(super) async fn broadcast_and_wait(
        &self,
        pending: &PendingTx,
        step: StepKind,
        hooks: &mut Hooks<'_>,
    ) -> Result<TxResult, Unsettled> {
        if let Err(err) = self.chain.broadcast(&pending.tx_bytes).await {
            let code = if err.kind == ErrorKind::TxRejected { err.chain_code } else { None };
            match code {
                // Already in the mempool: wait for it.
                Some(19) => {}
                // Sequence mismatch: this very transaction may have been included meanwhile;
                // if not, another one took its sequence and this one can never land.
                Some(32) => {
                    return match self.chain.tx(&pending.hash).await {
                        Ok(Some(result)) if result.code == 0 => {
                            self.landed(pending);
                            Ok(result)
                        }
                        Ok(_) => Err(Unsettled {
                            error: FlowError::new(
                                step,
                                "another transaction of this account used the same sequence, so this one was not \
                                 included and nothing was paid for it; sign again",
                                true,
                            ),
                            definite: true,
                        }),
                        Err(e) => Err(Unsettled {
                            error: FlowError::client(step, "looking up the transaction", &e),
                            definite: false,
                        }),
                    };
                }
                // Rejected in CheckTx: nothing was included, nothing paid; signing again may
                // help once the cause (funds, fee) is fixed.
                Some(_) => {
                    let mut error = FlowError::client(step, "broadcasting the transaction", &err);
                    error.retryable = true;
                    return Err(Unsettled { error, definite: true });
                }
                // No answer: the transaction may or may not have reached a node.
                None => {
                    let error = FlowError::client(step, "broadcasting the transaction", &err);
                    return Err(Unsettled { error, definite: false });
                }
            }
        }
        hooks.say(step, format!("Waiting for transaction {} to be included in a block.", short_hash(&pending.hash)));
        let interval = self.polling.first_ms.max(1);
        match self.chain.wait_for_tx(&pending.hash, self.polling.tx_timeout_ms, interval).await {
            Ok(result) => {
                self.landed(pending);
                Ok(result)
            }
            Err(err) if err.kind == ErrorKind::TxFailed => {
                let mut error = FlowError::client(step, "the transaction failed", &err);
                error.retryable = true;
                error.message = format!(
                    "the transaction was included but failed: {}",
                    err.detail.clone().unwrap_or(err.message.clone())
                );
                Err(Unsettled { error, definite: true })
            }
            Err(err) => {
                Err(Unsettled { error: FlowError::client(step, "waiting for the transaction", &err), definite: false })
            }
        }
    }

    /// Remembers that `pending` landed: later transactions wait for a sequence past it.
    fn landed(&self, pending: &PendingTx) {
        let highest = self.landed_sequence.get().map_or(pending.sequence, |s| s.max(pending.sequence));
        self.landed_sequence.set(Some(highest));
    }

    /// The state after a pending transaction landed.
    pub(super) fn advance(&self, state: &mut DeployState, pending: &PendingTx, height: u64, hooks: &mut Hooks<'_>) {
        state.pending = None;
        self.landed(pending);
        let at = if height > 0 { format!(" at height {height}") } else { String::new() };
        let dseq = state.dseq.unwrap_or_default();
        match pending.purpose {
            TxPurpose::Create => {
                state.step = Step::Bidding { dseq };
                hooks.say(StepKind::Create, format!("Deployment {dseq} created{at}."));
            }
            TxPurpose::Lease => {
                if let Step::Accepting { bid, .. } = &state.step {
                    let lease = bid.clone();
                    state.add_lease(lease.clone());
                    let left = state.unleased_groups();
                    if left.is_empty() {
                        hooks.say(StepKind::Accept, format!("Lease created with {}{at}.", lease.provider));
                        state.step = Step::SendingManifest;
                    } else {
                        let names: Vec<String> = left.iter().map(|(_, name)| format!("'{name}'")).collect();
                        hooks.say(
                            StepKind::Accept,
                            format!(
                                "Group {} leased from {}{at}; still to lease: {}.",
                                lease.gseq,
                                lease.provider,
                                names.join(", ")
                            ),
                        );
                        state.step = Step::Bidding { dseq };
                    }
                }
            }
            TxPurpose::Update => {
                if let Some(sdl) = &pending.sdl {
                    state.sdl.clone_from(sdl);
                }
                // The providers still run the old manifest: until the new one is accepted the
                // state says so, and a reload re-sends it.
                if !state.leases.is_empty() {
                    state.step = Step::SendingManifest;
                }
                hooks.say(StepKind::Live, format!("Deployment {dseq} updated{at}."));
            }
            TxPurpose::Close => {
                state.step = Step::Closed { dseq };
                hooks.say(StepKind::Close, format!("Deployment {dseq} closed{at}; the remaining deposit is refunded."));
            }
        }
        hooks.save(state);
    }
    pub(super) fn check_owner(&self, state: &DeployState, step: StepKind) -> Result<(), FlowError> {
        let address = self.wallet.address();
        if state.owner != address {
            return Err(FlowError::new(
                step,
                format!(
                    "this deployment belongs to {}, but the wallet is {address}: connect that account",
                    state.owner
                ),
                false,
            ));
        }
        Ok(())
    }

    /// Chain id (the network's, else the node's) and version.
    pub(super) async fn node_info(&self, step: StepKind) -> Result<(String, Option<ChainVersion>), FlowError> {
        if let Some(known) = self.node.borrow().clone() {
            return Ok(known);
        }
        let info = self
            .chain
            .node_info()
            .await
            .map_err(|e| FlowError::client(step, "asking the node for its chain id", &e))?;
        if let Some(expected) = &self.network.chain_id
            && *expected != info.chain_id
        {
            return Err(FlowError::new(
                step,
                format!(
                    "the node at {} serves chain {}, not {expected}: check the REST URL",
                    self.network.chain_rest, info.chain_id
                ),
                false,
            ));
        }
        let known = (info.chain_id, ChainVersion::parse(&info.app_version).ok());
        self.node.replace(Some(known.clone()));
        Ok(known)
    }

    /// The gas the messages use, by simulation; `None` only when the account does not exist
    /// yet (nothing can be signed for it, so the review shows the fallback gas's fee). Every
    /// other failure is an error that says what happened: a guessed gas limit would let a
    /// transaction be signed that the node may never have been able to receive.
    pub(super) async fn simulate(&self, messages: Vec<Any>, step: StepKind) -> Result<Option<u64>, FlowError> {
        let owner = self.wallet.address();
        let Some(account) =
            self.chain.account(&owner).await.map_err(|e| FlowError::client(step, "reading the account", &e))?
        else {
            return Ok(None);
        };
        self.simulate_at(messages, &account, step).await.map(Some)
    }

    async fn simulate_at(
        &self,
        messages: Vec<Any>,
        account: &leasekit_client::chain::Account,
        step: StepKind,
    ) -> Result<u64, FlowError> {
        let doc = self.sign_doc(messages, self.network.fallback_gas, account, step).await?;
        // Simulation skips signature checks (chain.md §2.3): 64 zero bytes stand in.
        let probe =
            tx::assemble(doc.body_bytes, doc.auth_info_bytes, &[0u8; 64]).map_err(|e| FlowError::tx(step, &e))?;
        self.chain.simulate(&probe.tx_bytes).await.map_err(|e| {
            let mut error = FlowError::client(step, "simulating the transaction", &e);
            if e.kind == ErrorKind::Transport {
                error.message = format!(
                    "the chain node at {} could not be reached to simulate the transaction, so nothing was signed or \
                     sent: {}",
                    self.network.chain_rest, e.message
                );
            }
            error
        })
    }

    /// The account, once the node reports a sequence past the last transaction this flow saw
    /// land. A load-balanced REST endpoint can answer from a node that has not applied the
    /// latest block yet; signing at its stale sequence would be refused (code 32) and make the
    /// tenant sign twice.
    async fn current_account(&self, step: StepKind) -> Result<leasekit_client::chain::Account, FlowError> {
        let owner = self.wallet.address();
        let mut backoff = Backoff::new(&self.polling, self.polling.sequence_timeout_ms);
        loop {
            let account = self
                .chain
                .account(&owner)
                .await
                .map_err(|e| FlowError::client(step, "reading the account", &e))?
                .ok_or_else(|| {
                    FlowError::new(
                        step,
                        format!("the chain has never seen {owner}: send it some uakt for fees first"),
                        false,
                    )
                })?;
            let Some(landed) = self.landed_sequence.get() else { return Ok(account) };
            if account.sequence > landed {
                return Ok(account);
            }
            if backoff.expired() {
                return Err(FlowError::new(
                    step,
                    format!(
                        "the chain node at {} still reports account sequence {} after the transaction signed at \
                         sequence {landed} landed; it is behind the chain — try again in a moment, or use another \
                         REST endpoint",
                        self.network.chain_rest, account.sequence
                    ),
                    true,
                ));
            }
            backoff.sleep(&self.transport).await;
        }
    }

    /// The sign doc of `messages` for the account at its current sequence.
    pub(super) async fn sign_doc(
        &self,
        messages: Vec<Any>,
        gas_limit: u64,
        account: &leasekit_client::chain::Account,
        step: StepKind,
    ) -> Result<tx::SignDoc, FlowError> {
        let (chain_id, _) = self.node_info(step).await?;
        let draft = Draft { messages, memo: String::new(), fee: self.network.fee(gas_limit), timeout_height: 0 };
        let signer = tx::Account {
            chain_id: &chain_id,
            account_number: account.account_number,
            sequence: account.sequence,
            public_key: self.public_key(step)?,
        };
        tx::sign_doc(&draft, &signer).map_err(|e| FlowError::tx(step, &e))
    }
    pub(super) fn public_key(&self, step: StepKind) -> Result<[u8; 33], FlowError> {
        self.wallet.public_key().try_into().map_err(|_| {
            FlowError::new(step, "the wallet's public key is not a 33-byte compressed secp256k1 key", false)
        })
    }

    /// Signs messages: simulate for gas, build the sign doc, let the wallet sign, assemble.
    pub(super) async fn sign(
        &self,
        messages: Vec<Any>,
        purpose: TxPurpose,
        step: StepKind,
    ) -> Result<PendingTx, FlowError> {
        let account = self.current_account(step).await?;
        let gas = self.simulate_at(messages.clone(), &account, step).await?;
        let doc = self.sign_doc(messages, self.network.gas_limit(Some(gas)), &account, step).await?;
        let signed = self.wallet.sign_direct(&doc).await.map_err(|e| FlowError::wallet(step, &e))?;
        let tx = tx::assemble(signed.body_bytes, signed.auth_info_bytes, &signed.signature)
            .map_err(|e| FlowError::tx(step, &e))?;
        Ok(PendingTx { purpose, hash: tx.tx_hash, tx_bytes: tx.tx_bytes, sequence: account.sequence, sdl: None })
    }
}
