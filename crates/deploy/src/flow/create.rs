//! The review and the create: MsgCreateDeployment, signed and saved before it is broadcast.

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// The order of a state's SDL in words, with the fee estimated by simulating the create
    /// transaction (the fallback gas's fee while the account does not exist on chain yet).
    ///
    /// # Errors
    /// The SDL has errors, the deposit is malformed, or the simulation failed (the node could
    /// not be reached, or it refused the transaction) — never a silent guess.
    pub async fn review(&self, state: &DeployState) -> Result<order::OrderSummary, FlowError> {
        let output = build(&state.sdl, StepKind::Create)?;
        let deposit = deposit_of(&state.deposit)?;
        let placeholder = order::OrderSummary::new(&output, &deposit, &self.network.fee(1), self.network.block_time_ms);
        let dseq = self.chain.latest_height().await.unwrap_or(1).max(1);
        let gas = match placeholder.create_message(&state.owner, dseq) {
            Ok(message) => self.simulate(vec![message], StepKind::Create).await?,
            Err(e) => return Err(FlowError::tx(StepKind::Create, &e)),
        };
        let fee = self.network.fee(self.network.gas_limit(gas));
        Ok(order::OrderSummary::new(&output, &deposit, &fee, self.network.block_time_ms))
    }

    /// Signs and broadcasts MsgCreateDeployment (dseq = the latest block height), then waits
    /// for it. The state is saved with the signed transaction before the broadcast.
    ///
    /// # Errors
    /// A failure at any point; when the transaction's fate is unknown the state keeps it and
    /// [`Deployer::resume`] finds out.
    pub async fn create_deployment(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Create;
        if state.pending.is_some() || !matches!(state.step, Step::Review | Step::Failed { step: StepKind::Create, .. })
        {
            // Something was signed or exists already: find out what instead of signing again.
            return self.resume(state, hooks).await;
        }
        self.check_owner(state, step)?;
        let output = build(&state.sdl, step)?;
        let deposit = deposit_of(&state.deposit)?;
        hooks.say(step, "Reading the chain's latest block height for the deployment sequence.");
        let (_, version) = self.node_info(step).await?;
        let height =
            self.chain.latest_height().await.map_err(|e| FlowError::client(step, "reading the latest block", &e))?;
        // The height is unique per block (a chain at genesis is at 0, and dseq 0 is invalid); a
        // deployment created at this height by another tab would already hold it.
        let mut dseq = height.max(1);
        while self
            .chain
            .deployment(&state.owner, dseq)
            .await
            .map_err(|e| FlowError::client(step, "checking the dseq", &e))?
            .is_some()
        {
            dseq += 1;
        }
        let params = CreateDeployment {
            owner: &state.owner,
            dseq,
            deposit: Deposit::from_balance(deposit),
            chain_version: version,
        };
        let message = msgs::create_deployment(&output, &params).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCreateDeployment (dseq {dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Create, step).await?;
        state.dseq = Some(dseq);
        state.step = Step::Creating { dseq, tx_hash: pending.hash.clone() };
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }
}
