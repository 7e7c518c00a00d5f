//! Resuming from a saved state: settle what was signed, or place the state where the chain says.

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// Reconciles a saved state with the chain and continues as far as it can without signing
    /// anything new: a recorded transaction is looked up by hash (and the deployment or lease
    /// it creates by id) and, if the chain never saw it, re-broadcast with the same bytes; a
    /// lease whose manifest was not accepted gets the manifest.
    ///
    /// # Errors
    /// What the reconciliation ran into.
    pub async fn resume(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        if state.pending.is_some() {
            self.settle(state, hooks).await?;
        }
        match state.step.clone() {
            Step::Failed { .. } => {
                self.reposition(state, hooks).await?;
                if matches!(state.step, Step::SendingManifest) {
                    self.send_manifest(state, hooks).await?;
                }
                Ok(())
            }
            Step::SendingManifest => self.send_manifest(state, hooks).await,
            Step::Bidding { dseq } => {
                let step = StepKind::Bids;
                match self
                    .chain
                    .deployment(&state.owner, dseq)
                    .await
                    .map_err(|e| FlowError::client(step, "reading the deployment", &e))?
                {
                    Some(d) if d.state == "closed" => {
                        state.step = Step::Closed { dseq };
                        hooks.save(state);
                        hooks.say(step, format!("Deployment {dseq} was closed."));
                    }
                    Some(_) => hooks.say(step, format!("Deployment {dseq} is open; waiting for bids.")),
                    None => {
                        return Err(FlowError::new(
                            step,
                            format!("the chain has no deployment {dseq} of this account"),
                            false,
                        ));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// After a failure without a pending transaction: place the state where the chain says.
    pub(super) async fn reposition(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = state.step.kind();
        let Some(dseq) = state.dseq else {
            state.step = Step::Review;
            hooks.save(state);
            return Ok(());
        };
        let deployment = self
            .chain
            .deployment(&state.owner, dseq)
            .await
            .map_err(|e| FlowError::client(step, "reading the deployment", &e))?;
        match deployment {
            None => {
                state.dseq = None;
                state.leases.clear();
                state.step = Step::Review;
            }
            Some(d) if d.state == "closed" => state.step = Step::Closed { dseq },
            Some(_) => {
                let leases = self
                    .chain
                    .leases(&state.owner, Some(dseq))
                    .await
                    .map_err(|e| FlowError::client(step, "listing the leases", &e))?;
                state.leases.clear();
                for lease in leases.into_iter().filter(|l| l.is_live()) {
                    if !state.leases.iter().any(|l| l.gseq == lease.id.gseq) {
                        state.add_lease(lease.id);
                    }
                }
                state.step = if !state.leases.is_empty() && state.unleased_groups().is_empty() {
                    Step::SendingManifest
                } else {
                    Step::Bidding { dseq }
                };
            }
        }
        hooks.save(state);
        Ok(())
    }
}
