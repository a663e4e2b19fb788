//! [`SourcingServer`]: the MCP server handler. It lists the tool table, runs tools through
//! [`crate::call`], serves resources and prompts, and says in its instructions what it runs
//! against. One value serves every session (stdio has one; HTTP makes a clone per session).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use open1688_jobs::{CatalogEngine, Jobs, OrderPolicy};
use open1688_store::SqlStore;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams, GetPromptResponse,
    Implementation, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData as McpError, ServerHandler};

use crate::caller::Caller;
use crate::outputs::Outputs;
use crate::toolkit::Toolkit;
use crate::{failure, progress, prompts, resources, tools};

/// The sourcing toolkit as an MCP server: the application layer's jobs as tools, with their
/// reports as structured results.
#[derive(Clone)]
pub struct SourcingServer {
    inner: Arc<Inner>,
}

struct Inner {
    toolkit: Toolkit,
    instructions: String,
}

impl std::fmt::Debug for SourcingServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourcingServer").field("toolkit", &self.inner.toolkit).finish_non_exhaustive()
    }
}

/// Builds a [`SourcingServer`].
#[derive(Debug)]
pub struct SourcingServerBuilder {
    jobs: Arc<Jobs>,
    store: Arc<SqlStore>,
    outputs: PathBuf,
    sandbox: bool,
    catalog: Option<Arc<CatalogEngine>>,
    orders: OrderPolicy,
    allow_placing: bool,
}

impl SourcingServerBuilder {
    /// Orders go where `policy` says, under its spending cap. `place_order` places only when
    /// `allow_placing` (and the person confirmed); otherwise it refuses and only `preview_order`
    /// works: placing stays a person's decision.
    pub fn orders(mut self, policy: OrderPolicy, allow_placing: bool) -> Self {
        self.orders = policy;
        self.allow_placing = allow_placing;
        self
    }

    /// Keeps the tools' files (the sourcing job's workbook and charts) under `dir` (default: a
    /// folder `open1688-mcp` in the system's temporary folder).
    pub fn outputs_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.outputs = dir.into();
        self
    }

    /// Says in the server's instructions that the gateway is the built-in sandbox (simulated
    /// data), so agents and their users are not misled.
    pub fn sandbox(mut self, sandbox: bool) -> Self {
        self.sandbox = sandbox;
        self
    }

    /// Searches the store's catalog with `engine` (the `search_catalog` tool); without one, that
    /// tool says the server has no catalog engine.
    pub fn catalog(mut self, engine: Arc<CatalogEngine>) -> Self {
        self.catalog = Some(engine);
        self
    }

    /// The server.
    pub fn build(self) -> SourcingServer {
        let outputs = Outputs::new(self.outputs, self.store.clone());
        let toolkit = Toolkit::new(self.jobs, self.store, outputs);
        let toolkit = match self.catalog {
            Some(engine) => toolkit.with_catalog(engine),
            None => toolkit,
        }
        .with_orders(self.orders, self.allow_placing);
        SourcingServer {
            inner: Arc::new(Inner { toolkit, instructions: instructions(self.sandbox, self.allow_placing) }),
        }
    }
}

impl SourcingServer {
    /// A builder over the application layer's `jobs` and the `store` (watches, history, alerts).
    pub fn builder(jobs: Arc<Jobs>, store: Arc<SqlStore>) -> SourcingServerBuilder {
        SourcingServerBuilder {
            jobs,
            store,
            outputs: std::env::temp_dir().join("open1688-mcp"),
            sandbox: false,
            catalog: None,
            orders: OrderPolicy::default(),
            allow_placing: false,
        }
    }

    /// The jobs, store and files the tools work with.
    pub fn toolkit(&self) -> &Toolkit {
        &self.inner.toolkit
    }

    /// Runs one tool for `caller` and answers as the protocol wants: the report as structured
    /// content (and as JSON text for clients that read only text), files as resource links, a
    /// failure as a tool error.
    pub async fn call(
        &self,
        request: CallToolRequestParams,
        caller: &Caller,
        progress: &open1688_jobs::Progress,
    ) -> Result<CallToolResult, McpError> {
        let Some(spec) = tools::spec(&request.name) else {
            return Err(McpError::invalid_params(
                format!("no tool named {:?}; tools/list lists them", request.name),
                None,
            ));
        };
        let mut arguments = request.arguments.unwrap_or_default();
        let language = match crate::reader::take(&mut arguments) {
            Ok(language) => language,
            Err(e) => return Ok(failure::tool_error(&e, Utc::now(), open1688_jobs::Language::En)),
        };
        if let Some(refusal) = caller.lacks(spec.scope(), spec.name, language) {
            return Ok(CallToolResult::error(vec![ContentBlock::text(refusal)]));
        }
        let started = std::time::Instant::now();
        let outcome = crate::call::run(self.toolkit(), spec.name, arguments, caller, progress).await;
        let label = match &outcome {
            Ok(_) => "ok",
            Err(e) => failure::kind_name(e.kind()),
        };
        metrics::counter!("open1688_mcp_tool_calls_total", "tool" => spec.name, "outcome" => label).increment(1);
        metrics::histogram!("open1688_mcp_tool_call_duration_seconds", "tool" => spec.name)
            .record(started.elapsed().as_secs_f64());
        Ok(match outcome {
            Ok(answer) => {
                let mut result = CallToolResult::structured(answer.report);
                for file in answer.files {
                    let link = Resource::new(file.uri, file.name).with_mime_type(file.media_type);
                    result.content.push(ContentBlock::resource_link(link));
                }
                result
            }
            Err(e) => failure::tool_error(&e, Utc::now(), language),
        })
    }
}

/// What the server tells an agent when it connects.
fn instructions(sandbox: bool, allow_placing: bool) -> String {
    let gateway = if sandbox {
        "This server runs against open1688's built-in SANDBOX: no 1688 app key is configured, so every \
         offer, price, supplier and stock figure is simulated (realistic, not real). Say so when you report \
         results; configure an app key (`open1688 config init`) for real data."
    } else {
        "This server calls the real 1688 Open Platform with the configured app key; every tool says what it \
         costs in gateway calls against the app's daily quota."
    };
    let placing = if allow_placing {
        "`place_order` places a previewed plan, but only after the person saw the preview and said so \
         (`confirm: true`)."
    } else {
        "Placing orders is off here: a person places them (`open1688 order place --yes`)."
    };
    format!(
        "open1688: sourcing on 1688 (Alibaba's Chinese wholesale platform). {gateway}\n\
         Money is a decimal string in CNY; ids are integers; quantities are whole units. Start with \
         `search_offers` or `source` (the whole job: what to buy, from whom, how many, at what landed cost). \
         `get_offer` shows price tiers, SKUs and stock; `quote` picks a quantity; `compare` and \
         `find_same_item` rank offers; `plan_purchase` checks purchase lines; `watch_offer` keeps a price \
         history and raises alerts. Resources: the active scorecard, the last sourcing job's workbook and \
         charts, and watched offers' history charts. `preview_order` shows a plan as the platform's orders, \
         `list_orders` and `track_order` follow them. {placing} Nothing here pays: orders are paid by a person \
         at the cashier link."
    )
}

impl ServerHandler for SourcingServer {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder().enable_tools().enable_resources().enable_prompts().build();
        ServerConfig::new(capabilities)
            .with_server_info(
                Implementation::new("open1688", env!("CARGO_PKG_VERSION"))
                    .with_title("open1688 sourcing toolkit")
                    .with_website_url("https://github.com/open1688/open1688"),
            )
            .with_instructions(self.inner.instructions.clone())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(tools::listed().to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        tools::listed().iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let caller = Caller::of(&context);
        let progress = progress::relay(context.peer.clone(), context.meta.get_progress_token(), context.ct.clone());
        // Over HTTP the service charges the key's gateway calls; the tool runs on a task of its
        // own, so the charge is taken from the request and carried here.
        let charge = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<open1688::call_share::ChargedTo>())
            .cloned();
        open1688::call_share::carried(charge, self.call(request, &caller, &progress)).await.map(CallToolResponse::from)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let listed = resources::list(self.toolkit(), &Caller::of(&context)).await;
        listed.map(ListResourcesResult::with_all_items).map_err(|e| McpError::internal_error(e.to_string(), None))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        Ok(ListResourceTemplatesResult::with_all_items(resources::templates()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let caller = Caller::of(&context);
        match resources::read(self.toolkit(), &caller, &request.uri).await {
            Ok(Some(contents)) => Ok(ReadResourceResult::new(vec![contents]).into()),
            Ok(None) => Err(McpError::resource_not_found(format!("no resource {}", request.uri), None)),
            Err(e) if e.kind() == open1688_jobs::ErrorKind::NotFound => {
                Err(McpError::resource_not_found(e.to_string(), None))
            }
            Err(e) if e.kind() == open1688_jobs::ErrorKind::Invalid => {
                Err(McpError::invalid_params(e.to_string(), None))
            }
            Err(e) => Err(McpError::internal_error(e.to_string(), None)),
        }
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        Ok(ListPromptsResult::with_all_items(prompts::list()))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let arguments = request.arguments.unwrap_or_default();
        prompts::get(&request.name, &arguments)
            .map(Into::into)
            .map_err(|message| McpError::invalid_params(message, None))
    }
}
