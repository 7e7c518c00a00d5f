//! Bids: the groups still to lease, their offers with provider details, and accepting one
//! (MsgCreateLease).

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// The open bids on the state's deployment, with provider details.
    ///
    /// # Errors
    /// No deployment yet, or the chain could not be read.
    pub async fn bids(&self, state: &DeployState) -> Result<Vec<BidOffer>, FlowError> {
        let step = StepKind::Bids;
        let dseq =
            state.dseq.ok_or_else(|| FlowError::new(step, "there is no deployment yet: create it first", false))?;
        let bids = self
            .chain
            .bids(&state.owner, dseq, Some("open"))
            .await
            .map_err(|e| FlowError::client(step, "listing the bids", &e))?;
        let output = leasekit_sdl::build(&state.sdl).output;
        let plan = output.as_ref().map(leasekit_ipalloc::plan_output);
        // The addresses the bid's group needs free (provider.md §4.6: a provider declines an order
        // it has too few for, but its count can change between bid and lease).
        let ips_needed = |gseq: u32| -> usize {
            let name = output.as_ref().and_then(|o| o.group_specs.get(usize::try_from(gseq).ok()?.checked_sub(1)?));
            let group = name.and_then(|spec| plan.as_ref()?.groups.iter().find(|g| g.name == spec.name));
            group.map_or(0, |g| g.ips_needed)
        };
        let mut offers = Vec::new();
        // Only the groups still to lease: a leased group's other bids are no longer a choice.
        for bid in bids.into_iter().filter(|b| !state.leases.iter().any(|l| l.gseq == b.id.gseq)) {
            let needed = ips_needed(bid.id.gseq);
            offers.push(self.offer(bid, needed).await);
        }
        Ok(offers)
    }

    pub(super) async fn offer(&self, bid: Bid, ips_needed: usize) -> BidOffer {
        let needs_ip = ips_needed > 0;
        let provider = self.chain.provider(&bid.id.provider).await.ok().flatten();
        let attributes = provider.as_ref().map(|p| p.attributes.clone()).unwrap_or_default();
        let advertised = attributes
            .iter()
            .any(|(k, v)| (k == "feat-endpoint-ip" || k == "ip-lease") && v.eq_ignore_ascii_case("true"));
        let ip_capability = if advertised {
            IpCapability::Advertised
        } else if needs_ip {
            IpCapability::ProvenByBid
        } else {
            IpCapability::Unknown
        };
        let (reachable, mut status_error, tls) = match self.providers.provider_status(&bid.id.provider).await {
            Ok(status) => (true, None, status.tls),
            Err(e) => (false, Some(e.message), None),
        };
        // Free leased IPs come only from the provider's gRPC status (through the proxy's
        // /grpc-status); its REST /status does not carry them (provider.md §2.5).
        let free_ips = match self.providers.ip_capacity(&bid.id.provider).await {
            Ok(capacity) => capacity.map(|c| c.free()),
            Err(e) => {
                if status_error.is_none() && needs_ip {
                    status_error = Some(format!("free IPs unknown: {}", e.message));
                }
                None
            }
        };
        let price = amount::parse_dec(&bid.price.amount).unwrap_or_default();
        let month = price.saturating_mul(order::MONTH_MS) / u128::from(self.network.block_time_ms.max(1));
        BidOffer {
            price_per_block: amount::format_dec(price),
            price_per_month: amount::format_rounded(month, 0),
            host_uri: provider.map(|p| p.host_uri),
            attributes,
            ip_capability,
            free_ips,
            ips_needed,
            reachable,
            tls,
            status_error,
            bid,
        }
    }

    /// Polls [`Deployer::bids`] with back-off until there is at least one bid.
    ///
    /// # Errors
    /// No bid within the polling timeout (the price may be too low or the requirements unmet).
    pub async fn wait_for_bids(&self, state: &DeployState, hooks: &mut Hooks<'_>) -> Result<Vec<BidOffer>, FlowError> {
        let step = StepKind::Bids;
        let mut backoff = Backoff::new(&self.polling, self.polling.bids_timeout_ms);
        hooks.say(step, "Waiting for providers to bid.");
        loop {
            let offers = self.bids(state).await?;
            if !offers.is_empty() {
                let n = offers.len();
                hooks.say(step, format!("{n} {} received.", if n == 1 { "bid" } else { "bids" }));
                return Ok(offers);
            }
            if backoff.expired() {
                return Err(FlowError::new(
                    step,
                    format!(
                        "no provider bid within {} s: the price may be too low, or no provider matches the attributes or has free IPs",
                        backoff.waited_ms / 1000
                    ),
                    true,
                ));
            }
            backoff.sleep(&self.transport).await;
        }
    }

    /// Signs and broadcasts MsgCreateLease for a bid and waits for it; the state is saved with
    /// the signed transaction before the broadcast.
    ///
    /// # Errors
    /// Not at the bidding step, or the lease transaction failed.
    pub async fn accept_bid(
        &self,
        state: &mut DeployState,
        bid: &BidId,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        let step = StepKind::Accept;
        if state.pending.is_some() {
            return self.resume(state, hooks).await;
        }
        let dseq = match state.step {
            Step::Bidding { .. } | Step::Failed { step: StepKind::Accept | StepKind::Bids, .. } => {
                state.dseq.unwrap_or_else(|| dseq_of(&state.step))
            }
            _ => {
                return Err(FlowError::new(
                    step,
                    "a bid can be accepted only while the deployment waits for bids",
                    false,
                ));
            }
        };
        if bid.owner != state.owner || bid.dseq != dseq {
            return Err(FlowError::new(step, "this bid is for another deployment", false));
        }
        if state.leases.iter().any(|l| l.gseq == bid.gseq) {
            return Err(FlowError::new(step, format!("group {} already has its lease", bid.gseq), false));
        }
        let message = msgs::create_lease(bid).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCreateLease with {}.", bid.provider));
        let pending = self.sign(vec![message], TxPurpose::Lease, step).await?;
        state.step = Step::Accepting { bid: bid.clone(), tx_hash: pending.hash.clone() };
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }
}
