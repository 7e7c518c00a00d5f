//! A live deployment: waiting for its addresses, the account's deployments, the env injection
//! (MsgUpdateDeployment), and closing.

use super::*;

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// Polls the leases' status with back-off until every expected address of every group is
    /// there (or the timeout); the last cards either way, one per lease.
    ///
    /// # Errors
    /// A provider could not be asked.
    pub async fn wait_for_ip(&self, state: &DeployState, hooks: &mut Hooks<'_>) -> Result<Vec<IpCard>, FlowError> {
        let step = StepKind::Live;
        let mut backoff = Backoff::new(&self.polling, self.polling.ip_timeout_ms);
        loop {
            let cards = self.lease_status(state).await?;
            let done = cards.iter().all(IpCard::complete);
            let text = cards.iter().map(IpCard::status_text).collect::<Vec<_>>().join(" ");
            hooks.cards(&cards);
            if done || backoff.expired() {
                hooks.say(step, text);
                return Ok(cards);
            }
            hooks.say(step, text);
            backoff.sleep(&self.transport).await;
        }
    }

    /// An owner's deployments, newest first, each with its leases (every page: for tools and
    /// tests; the app reads [`Deployer::deployments_page`]).
    ///
    /// # Errors
    /// The chain could not be read.
    pub async fn deployments(&self, owner: &str) -> Result<Vec<DeploymentEntry>, FlowError> {
        let step = StepKind::Live;
        let deployments =
            self.chain.deployments(owner).await.map_err(|e| FlowError::client(step, "listing the deployments", &e))?;
        let leases =
            self.chain.leases(owner, None).await.map_err(|e| FlowError::client(step, "listing the leases", &e))?;
        Ok(entries(deployments, &leases))
    }

    /// One page of an owner's open deployments (`closed`: of its closed ones), newest first on
    /// the page, from `page_key` (the previous page's [`DeploymentPage::next_key`]). Open
    /// deployments come with their live leases (`active` and `reclaiming`, asked for by state so
    /// a long history of closed leases is never read); closed ones without leases. An account
    /// with years of deployments is read a page at a time, on demand.
    ///
    /// # Errors
    /// The chain could not be read.
    pub async fn deployments_page(
        &self,
        owner: &str,
        closed: bool,
        page_key: Option<&str>,
    ) -> Result<DeploymentPage, FlowError> {
        let step = StepKind::Live;
        let state = if closed { "closed" } else { "active" };
        let page = self
            .chain
            .deployments_page(owner, Some(state), page_key)
            .await
            .map_err(|e| FlowError::client(step, "listing the deployments", &e))?;
        let mut leases = Vec::new();
        if !closed && !page.items.is_empty() {
            for lease_state in ["active", "reclaiming"] {
                let found = self
                    .chain
                    .leases_in(owner, None, Some(lease_state))
                    .await
                    .map_err(|e| FlowError::client(step, "listing the leases", &e))?;
                leases.extend(found);
            }
        }
        Ok(DeploymentPage { entries: entries(page.items, &leases), next_key: page.next_key })
    }

    /// Those of `dseqs` that the chain now lists as closed, without their leases: a list of open
    /// deployments no longer has a deployment the tenant just closed, and a view that showed it
    /// keeps it, marked closed, instead of letting it vanish.
    ///
    /// # Errors
    /// The chain could not be read.
    pub async fn closed_among(&self, owner: &str, dseqs: &[u64]) -> Result<Vec<DeploymentEntry>, FlowError> {
        let mut out = Vec::new();
        for &dseq in dseqs {
            let found = self
                .chain
                .deployment(owner, dseq)
                .await
                .map_err(|e| FlowError::client(StepKind::Live, "reading the deployment", &e))?;
            if let Some(deployment) = found.filter(|d| d.state == "closed") {
                out.push(DeploymentEntry { deployment, leases: Vec::new() });
            }
        }
        Ok(out)
    }

    /// Injects each service's leased IP as `VAR=ip` into its `env` (added, or the existing
    /// `VAR=` entry updated) with minimal YAML edits, signs MsgUpdateDeployment with the new
    /// manifest version, re-sends the manifest and reads the addresses again.
    ///
    /// # Errors
    /// No live lease or no address yet, a bad variable name, an SDL the editor cannot change,
    /// or a failed update.
    pub async fn inject_ip_env(
        &self,
        state: &mut DeployState,
        var: &str,
        hooks: &mut Hooks<'_>,
    ) -> Result<IpChange, FlowError> {
        let step = StepKind::Live;
        if state.pending.is_some() {
            self.resume(state, hooks).await?;
        }
        if !valid_env_name(var) {
            return Err(FlowError::new(
                step,
                format!("'{var}' is not a variable name (letters, digits and _, not starting with a digit)"),
                false,
            ));
        }
        let Some(dseq) = state.leases.first().map(|l| l.dseq) else {
            return Err(FlowError::new(step, "there is no lease yet", false));
        };
        let before = self.lease_status(state).await?;
        if before.iter().all(|c| c.addresses.is_empty()) {
            return Err(FlowError::new(step, "the lease has no IP yet: wait for it, then inject it", true));
        }
        let per_service: Vec<(String, String)> = before
            .iter()
            .flat_map(|c| &c.addresses)
            .flat_map(|a| a.ports.iter().map(move |p| (p.service.clone(), a.ip.clone())))
            .fold(Vec::new(), |mut acc, (svc, ip)| {
                if !acc.iter().any(|(s, _)| *s == svc) {
                    acc.push((svc, ip));
                }
                acc
            });
        let sdl = inject_env(&state.sdl, var, &per_service).map_err(|m| FlowError::new(step, m, false))?;
        let output = build(&sdl, step)?;
        let current = build(&state.sdl, step)?;
        if output.version != current.version {
            let message =
                msgs::update_deployment(&output, &state.owner, dseq).map_err(|e| FlowError::tx(step, &e))?.to_any();
            hooks.say(step, format!("Waiting for the wallet to sign MsgUpdateDeployment ({var} in the environment)."));
            let mut pending = self.sign(vec![message], TxPurpose::Update, step).await?;
            pending.sdl = Some(sdl.clone());
            state.pending = Some(pending);
            hooks.save(state);
            self.settle(state, hooks).await?;
        }
        self.send_manifest(state, hooks).await?;
        let after = self.wait_for_ip(state, hooks).await?;
        let ips = |cards: &[IpCard]| cards.iter().flat_map(IpCard::ips).collect::<Vec<_>>();
        let (mut b, mut a) = (ips(&before), ips(&after));
        b.sort();
        a.sort();
        let change = IpChange {
            kept: a == b && !a.is_empty(),
            before: ips(&before),
            after: ips(&after),
            sdl: state.sdl.clone(),
        };
        hooks.say(step, change.text());
        Ok(change)
    }

    /// Closes the state's deployment (MsgCloseDeployment): its leases end and the remaining
    /// deposit is refunded.
    ///
    /// # Errors
    /// No deployment, or the close transaction failed.
    pub async fn close(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Close;
        if state.pending.is_some() {
            self.resume(state, hooks).await?;
        }
        if matches!(state.step, Step::Closed { .. }) {
            return Ok(());
        }
        let dseq = state.dseq.ok_or_else(|| FlowError::new(step, "there is no deployment to close", false))?;
        let message = msgs::close_deployment(&state.owner, dseq).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCloseDeployment ({dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Close, step).await?;
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }

    /// Closes any deployment of the wallet's account by dseq (the deployments view).
    ///
    /// # Errors
    /// The close transaction failed.
    pub async fn close_dseq(&self, dseq: u64, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Close;
        let owner = self.wallet.address();
        let message = msgs::close_deployment(&owner, dseq).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCloseDeployment ({dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Close, step).await?;
        self.broadcast_and_wait(&pending, step, hooks).await.map_err(|u| u.error)?;
        hooks.say(step, format!("Deployment {dseq} closed."));
        Ok(())
    }
}

fn valid_env_name(var: &str) -> bool {
    let mut chars = var.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The SDL with `VAR=ip` in the `env` of each listed service: the existing `VAR=` entry is
/// updated, else one is appended (or an `env` list created).
///
/// # Errors
/// A sentence when the editor cannot make the change.
pub fn inject_env(sdl: &str, var: &str, per_service: &[(String, String)]) -> Result<String, String> {
    use PathSegment::{Index, Key};
    let mut doc = Document::parse(sdl).map_err(|e| format!("the SDL cannot be edited: {e}"))?;
    let prefix = format!("{var}=");
    for (service, ip) in per_service {
        let entry = format!("{var}={ip}");
        let env_path = [Key("services"), Key(service.as_str()), Key("env")];
        let existing = doc.get(&env_path).map(|n| match &n.kind {
            leasekit_sdl::syntax::SyntaxKind::Seq(items) => items
                .iter()
                .position(|i| matches!(&i.kind, leasekit_sdl::syntax::SyntaxKind::Scalar { value, .. } if value.starts_with(&prefix))),
            _ => None,
        });
        let fail = |e: leasekit_sdl_edit::EditError| format!("cannot set {var} for service {service}: {e}");
        match existing {
            Some(Some(i)) => {
                let path = [Key("services"), Key(service.as_str()), Key("env"), Index(i)];
                doc.set_scalar(&path, ScalarValue::Str(entry)).map_err(fail)?;
            }
            Some(None) => doc.append(&env_path, &entry).map_err(fail)?,
            None => {
                let service_path = [Key("services"), Key(service.as_str())];
                if doc.insert(&service_path, "env", &format!("- {entry}")).is_err() {
                    doc.insert(&service_path, "env", &format!("[{entry}]")).map_err(fail)?;
                }
            }
        }
    }
    Ok(doc.text().to_owned())
}

/// Deployments with their leases, newest first.
fn entries(deployments: Vec<Deployment>, leases: &[Lease]) -> Vec<DeploymentEntry> {
    let mut out: Vec<DeploymentEntry> = deployments
        .into_iter()
        .map(|d| {
            let leases = leases.iter().filter(|l| l.id.dseq == d.dseq).cloned().collect();
            DeploymentEntry { deployment: d, leases }
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.deployment.dseq));
    out
}
