//! The provider side, through the proxy: the manifest, lease status and IP cards, endpoint
//! migration, and the provider JWT that authorises them.

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// Sends the manifest to every lease's provider, once per provider (a provider takes the
    /// deployment's manifest and runs the groups it leased), retrying while a provider has not
    /// seen its lease yet; the state moves to Live once all accepted it.
    ///
    /// # Errors
    /// No lease, the SDL does not build, or a provider refused the manifest.
    pub async fn send_manifest(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Manifest;
        if state.leases.is_empty() {
            return Err(FlowError::new(step, "there is no lease yet: accept a bid first", false));
        }
        let output = build(&state.sdl, step)?;
        let mut sent: Vec<&str> = Vec::new();
        for lease in &state.leases {
            if !sent.contains(&lease.provider.as_str()) {
                self.put_manifest(lease, &output, hooks).await?;
                sent.push(&lease.provider);
            }
        }
        state.step = Step::Live;
        hooks.save(state);
        Ok(())
    }
    pub(super) async fn put_manifest(
        &self,
        lease: &BidId,
        output: &Output,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        let step = StepKind::Manifest;
        let manifest = output.manifest.to_json_string();
        hooks.say(
            step,
            format!("Sending the manifest (version {}) to {}.", &output.version_hex()[..12], lease.provider),
        );
        let mut backoff = Backoff::new(&self.polling, self.polling.manifest_timeout_ms);
        loop {
            let token = self.token(step).await?;
            match self.providers.send_manifest(&lease.provider, lease.dseq, &manifest, &token).await {
                Ok(()) => {
                    hooks.say(step, "The provider accepted the manifest.");
                    return Ok(());
                }
                Err(err) => {
                    if err.kind == ErrorKind::Unauthorized {
                        self.token.replace(None);
                    }
                    let flow = FlowError::client(step, "sending the manifest", &err);
                    if !flow.retryable || backoff.expired() {
                        return Err(flow);
                    }
                    hooks.say(
                        step,
                        format!("The provider is not ready for the manifest yet ({}); retrying.", err.message),
                    );
                }
            }
            backoff.sleep(&self.transport).await;
        }
    }

    /// The state's leases as IP cards, in gseq order; each expects only its own group's
    /// addresses.
    ///
    /// # Errors
    /// No lease, or a provider could not be asked.
    pub async fn lease_status(&self, state: &DeployState) -> Result<Vec<IpCard>, FlowError> {
        if state.leases.is_empty() {
            return Err(FlowError::new(StepKind::Live, "there is no lease yet", false));
        }
        let output = leasekit_sdl::build(&state.sdl).output;
        let mut cards = Vec::new();
        for lease in &state.leases {
            let manifest = output.as_ref().map(|o| lease::lease_manifest(o, lease.gseq));
            cards.push(self.lease_status_of(lease, manifest.as_ref()).await?);
        }
        Ok(cards)
    }

    /// Any lease of the wallet's account as an IP card; `manifest`, when known, says which
    /// addresses to expect.
    ///
    /// # Errors
    /// The provider could not be asked.
    pub async fn lease_status_of(&self, lease: &BidId, manifest: Option<&Manifest>) -> Result<IpCard, FlowError> {
        let step = StepKind::Live;
        let has_ip = manifest.is_none_or(|m| !lease::ip_exposes(m).is_empty());
        let token = self.token(step).await?;
        let status = match self.providers.lease_status(&lease.provider, lease, &token, has_ip).await {
            Err(err) if err.kind == ErrorKind::Unauthorized => {
                self.token.replace(None);
                let token = self.token(step).await?;
                self.providers.lease_status(&lease.provider, lease, &token, has_ip).await
            }
            other => other,
        }
        .map_err(|e| FlowError::client(step, "reading the lease status", &e))?;
        Ok(IpCard::from_status(lease, &status, manifest))
    }

    /// Reads one lease's status until it is ready with every expected address, or the IP
    /// timeout, with the flow's back-off; `on_card` sees every answer as it comes (a card that
    /// waits for its IP shows each step). A provider error is shown too and ends the watch: the
    /// card offers a retry instead of hammering a failing provider.
    pub async fn watch_lease(
        &self,
        lease: &BidId,
        manifest: Option<&Manifest>,
        mut on_card: impl FnMut(Result<IpCard, FlowError>),
    ) {
        let mut backoff = Backoff::new(&self.polling, self.polling.ip_timeout_ms);
        loop {
            let result = self.lease_status_of(lease, manifest).await;
            let waiting = matches!(&result, Ok(card) if !card.complete());
            on_card(result);
            if !waiting || backoff.expired() {
                return;
            }
            backoff.sleep(&self.transport).await;
        }
    }

    /// Moves leased IP endpoints to another deployment of the account at the same provider
    /// (`POST /endpoint/migrate`, provider.md §2.4); the names the provider transferred.
    ///
    /// # Errors
    /// The provider refused (the destination lacks the endpoint, is not active there, …).
    pub async fn migrate_endpoint(
        &self,
        provider: &str,
        endpoints: &[&str],
        dest_dseq: u64,
        dest_gseq: u32,
    ) -> Result<Vec<String>, FlowError> {
        let step = StepKind::Live;
        let token = self.token(step).await?;
        self.providers
            .migrate_endpoints(provider, endpoints, dest_dseq, dest_gseq, &token)
            .await
            .map_err(|e| FlowError::client(step, "migrating the endpoint", &e))
    }

    // --- signing -------------------------------------------------------------------------
    /// A provider token (ES256KADR36, signed by the wallet), cached in memory until a minute
    /// before it expires.
    pub(super) async fn token(&self, step: StepKind) -> Result<String, FlowError> {
        let now = self.now(step).await?;
        if let Some((token, exp)) = self.token.borrow().clone()
            && exp > now + 60
        {
            return Ok(token);
        }
        let claims = Claims::starting_at(&self.wallet.address(), now, TOKEN_LIFETIME_SECONDS, Leases::Full);
        let input = jwt::signing_input(Alg::Es256kAdr36, &claims);
        let signature = self.wallet.sign_arbitrary(&input).await.map_err(|e| FlowError::wallet(step, &e))?;
        let token = jwt::assemble(&input, &signature).map_err(|e| FlowError::tx(step, &e))?;
        self.token.replace(Some((token.clone(), claims.exp)));
        Ok(token)
    }

    /// Unix seconds: the caller's clock, else the chain's latest block time.
    pub(super) async fn now(&self, step: StepKind) -> Result<u64, FlowError> {
        if let Some(clock) = &self.clock {
            return Ok(clock());
        }
        let url =
            format!("{}/cosmos/base/tendermint/v1beta1/blocks/latest", self.network.chain_rest.trim_end_matches('/'));
        let resp = self
            .transport
            .send(HttpRequest::new("GET", url).header("Accept", "application/json"))
            .await
            .map_err(|e| FlowError::new(step, format!("reading the chain's time: {e}"), true))?;
        let text = resp.text();
        let time = Json::parse(&text)
            .ok()
            .and_then(|j| {
                let header = j.get("block").or_else(|| j.get("sdk_block"))?.get("header")?;
                header.get("time")?.as_str().map(str::to_owned)
            })
            // The JSON reader takes only non-negative integers; a node's block may hold other
            // numbers. The header's `time` is the body's first `"time"` key either way.
            .or_else(|| first_time_field(&text))
            .and_then(|t| rfc3339_seconds(&t));
        time.ok_or_else(|| FlowError::new(step, "the chain's latest block has no readable time; set a clock", true))
    }
}

/// The value of the first `"time": "…"` in JSON text.
fn first_time_field(text: &str) -> Option<String> {
    let after = &text[text.find("\"time\"")? + 6..];
    let value = after.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(value[..value.find('"')?].to_owned())
}

/// Unix seconds of an RFC 3339 time (`2026-12-02T23:30:13.123456Z`, offsets allowed).
fn rfc3339_seconds(text: &str) -> Option<u64> {
    let (date, rest) = text.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let hms = rest.get(..8)?;
    let mut t = hms.split(':');
    let (h, min, s): (i64, i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let tail = &rest[8..];
    let tail = tail.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match tail {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = if tail.starts_with('-') { -1 } else { 1 };
            let (oh, om) = tail.get(1..)?.split_once(':')?;
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + min * 60 + s - offset).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_read_as_unix_seconds() {
        // `date -u -d 2026-12-02T23:30:13Z +%s` = 1796254213.
        assert_eq!(rfc3339_seconds("2026-12-02T23:30:13Z"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("2026-12-02T23:30:13.123456789Z"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("2026-12-03T01:30:13+02:00"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("yesterday"), None);
        let body = r#"{"block_id":{"hash":"x"},"block":{"header":{"height":"5","time": "2026-12-02T23:30:13.5Z"},"last_commit":{"round":-1}}}"#;
        assert!(Json::parse(body).is_err(), "a negative number the JSON reader refuses");
        assert_eq!(first_time_field(body).as_deref(), Some("2026-12-02T23:30:13.5Z"));
    }
}
