"""An independent MCP client for open1688: the official Python SDK (`mcp`, pinned in .ci/run).

Usage: client.py BINARY WORKDIR DATABASE_URL OUTPUTS_DIR PICTURE SERVICE_URL READ_KEY

Over stdio it starts `BINARY mcp`, checks every tool's input and output schema is a valid JSON
Schema (2020-12), calls every tool with valid arguments (the SDK validates each structured result
against the tool's output schema) and with invalid ones (tool errors, never protocol errors),
follows the sourcing job's progress, reads a resource and gets a prompt. Over streamable HTTP it
talks to `SERVICE_URL/mcp` with the key, and checks that without one no session starts.
Prints one line per check; exits non-zero on the first failure.
"""

import asyncio
import os
import sys

import httpx2
import jsonschema
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

OFFER = 630526089341
# An offer without SKUs (an order line needs no spec id), and where orders go.
PLAIN_OFFER = 778530087583
SHIP_TO = {"name": "义乌仓", "mobile": "13800000000", "province": "浙江省", "city": "金华市", "street": "1 号"}
ORDER_PLAN = {"lines": [{"offer_id": PLAIN_OFFER, "quantity": 48}]}

VALID = {
    "search_offers": {"keyword": "保温杯", "limit": 3},
    "search_by_image": None,  # a picture file, made below
    "get_offer": {"offer_ids": [OFFER]},
    "quote": {"offer_id": OFFER, "need": 300},
    "compare": {"target": {"keyword": "保温杯"}, "need": 100, "candidates": 4},
    "find_same_item": {"offer_id": OFFER, "need": 50, "candidates": 4},
    "plan_purchase": {"lines": [{"offer_id": OFFER, "quantity": 300}], "optimize": True},
    "split_need": {"offers": [OFFER, PLAIN_OFFER], "need": 5000},
    "source": {"keyword": "保温杯", "need": 300, "candidates": 6},
    "analyze_market": {"keyword": "保温杯", "quantity": 100},
    "supplier_report": None,  # the seller of OFFER, found below
    "watch_offer": {"offer": OFFER, "below": "9", "at": 100},
    "list_watches": {},
    "price_history": None,  # no history yet: called among the invalid ones
    "list_alerts": {"unacknowledged": True},
    "search_catalog": {"text": "保温杯", "at": 100},
    "preview_order": {"plan": ORDER_PLAN, "ship_to": SHIP_TO},
    "place_order": None,  # off on this server: called among the invalid ones
    "list_orders": {"open": True},
    "track_order": None,  # nothing placed here: called among the invalid ones
    "order_addresses": {},
}

INVALID = {
    "search_offers": {"keyword": 7},
    "search_by_image": {"picture": "/no/such/picture.png"},
    "get_offer": {"offer_ids": "630526089341"},
    "quote": {"offer_id": OFFER, "need": -3},
    "compare": {"target": {"keyword": "保温杯"}},
    "find_same_item": {"offer_id": OFFER},
    "plan_purchase": {"lines": [{"offer_id": OFFER, "quantity": 0}]},
    "split_need": {"offers": [OFFER], "need": 5000},
    "source": {"keyword": "保温杯", "need": 0},
    "analyze_market": {"keyword": "保温杯", "quantity": 0},
    "supplier_report": {"seller": ""},
    "watch_offer": {"offer": OFFER, "every_minutes": "often"},
    "list_watches": {"limit": 3},
    "price_history": {"offer_id": OFFER},
    "list_alerts": {"limit": 0},
    "search_catalog": {"text": "杯", "at": 0},
    "preview_order": {"plan": {"lines": []}, "ship_to": SHIP_TO},
    "place_order": {"plan": ORDER_PLAN, "ship_to": SHIP_TO, "confirm": True},
    "list_orders": {"limit": 0},
    "track_order": {"order_id": 42},
    "order_addresses": {"page": 2},
}


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", flush=True)
        sys.exit(1)
    print(f"ok: {what}", flush=True)


def text_of(result):
    return " ".join(getattr(c, "text", "") for c in result.content)


async def over_stdio(binary, workdir, database_url, outputs, picture):
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "OPEN1688_CONFIG": os.path.join(workdir, "config.toml")})
    for name in ["OPEN1688_APP_KEY", "OPEN1688_APP_SECRET", "OPEN1688_ACCESS_TOKEN", "OPEN1688_ENDPOINT", "REDIS_URL"]:
        env.pop(name, None)
    params = StdioServerParameters(command=binary, args=["mcp", "--outputs-dir", outputs], env=env, cwd=workdir)
    async with stdio_client(params, errlog=open(os.devnull, "w")) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "open1688", "initialize names the server")
            check("SANDBOX" in (init.instructions or ""), "the instructions say it runs on the sandbox")
            tools = (await session.list_tools()).tools
            check(len(tools) == 21, f"21 tools listed ({len(tools)})")
            for tool in tools:
                jsonschema.Draft202012Validator.check_schema(tool.input_schema)
                jsonschema.Draft202012Validator.check_schema(tool.output_schema)
                check(tool.input_schema.get("type") == "object", f"{tool.name}: input and output schemas are valid JSON Schema")
            offer = await session.call_tool("get_offer", VALID["get_offer"])
            seller = offer.structured_content["offers"][0]["supplier"]["open_id"]
            VALID["supplier_report"] = {"seller": seller}
            VALID["search_by_image"] = {"picture": picture, "limit": 3}
            progress = []

            async def on_progress(value, total, message):
                progress.append((value, total, message))

            for tool in tools:
                arguments = VALID[tool.name]
                if arguments is not None:
                    callback = on_progress if tool.name == "source" else None
                    result = await session.call_tool(tool.name, arguments, progress_callback=callback)
                    check(not result.is_error and isinstance(result.structured_content, dict),
                          f"{tool.name}: a valid call answers a report matching its output schema {text_of(result)[:200] if result.is_error else ''}")
                result = await session.call_tool(tool.name, INVALID[tool.name])
                check(result.is_error and text_of(result), f"{tool.name}: an invalid call is a tool error: {text_of(result)[:120]}")
            check(any(total == 4.0 for _, total, _ in progress), f"source reported progress ({len(progress)} notifications)")
            resources = (await session.list_resources()).resources
            uris = [str(r.uri) for r in resources]
            check("open1688://source/last/sourcing.xlsx" in uris, "the sourcing job's workbook is a resource")
            card = await session.read_resource("open1688://scorecard")
            check(card.contents[0].mime_type == "application/json", "the scorecard resource reads")
            prompt = await session.get_prompt("check_supplier", {"seller": seller})
            check(seller in prompt.messages[0].content.text, "the check_supplier prompt names the seller")


async def over_http(service_url, key):
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        async with streamable_http_client(f"{service_url}/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = (await session.list_tools()).tools
                check(len(tools) == 21, "over HTTP with a key: 21 tools")
                result = await session.call_tool("quote", {"offer_id": OFFER, "need": 300})
                check(not result.is_error, "over HTTP: quote answers")
                result = await session.call_tool("watch_offer", {"offer": OFFER})
                check(result.is_error and "scope read" in text_of(result), "over HTTP: a read key cannot add a watch")
    try:
        async with httpx2.AsyncClient(timeout=10) as http:
            async with streamable_http_client(f"{service_url}/mcp", http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    await asyncio.wait_for(session.initialize(), 10)
        refused = False
    except BaseException:  # the SDK raises an ExceptionGroup from its task group
        refused = True
    check(refused, "over HTTP without a key: no session")


async def main():
    binary, workdir, database_url, outputs, picture, service_url, key = sys.argv[1:8]
    await over_stdio(binary, workdir, database_url, outputs, picture)
    await over_http(service_url, key)


if __name__ == "__main__":
    asyncio.run(main())
