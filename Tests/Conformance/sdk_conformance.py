#!/usr/bin/env python3
"""Checks `vpnform emulator` against Huawei's official Python SDK, used as an independent client.

    sdk_conformance.py --endpoint http://127.0.0.1:PORT --ak AK --sk SK \
        [--settle-ms N] [--gateway VGW_ID=IP[,IP] ...]

Needs `huaweicloudsdkvpn==3.1.219` and `huaweicloudsdkcore==3.1.219` (Tests/Conformance/run.sh installs
them in a virtualenv). Everything the SDK does is its own: it builds the requests from its models,
signs them (SDK-HMAC-SHA256, every header but those with `_`, User-Agent included), and parses the
answers into its models, so an emulator answer the SDK cannot read, or a signature the emulator
cannot check, shows up here.

The run works in a fresh random project and gateway, so it can also point at an emulator that
already holds data. Each `--gateway` names a gateway the emulator was started with (`--gateways-from`)
and its addresses (EIP ids, or private IPv4 addresses): the SDK reads them (ShowVgw, ListVgws) and
creates on one of them, and polls a new connection (ShowVpnConnection) from PENDING_CREATE to DOWN,
which takes `--settle-ms` (the emulator's `--settle`).

It prints one line per check and a last line `N passed, N failed`, and exits 1 if any check failed.
Every call has a timeout and a watchdog ends the whole run after 50 s.
"""
import argparse
import ipaddress
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import uuid

SDK_VERSION = "3.1.219"
WATCHDOG_SECONDS = 50
CALL_TIMEOUT = (5, 15)  # (connect, read) seconds, per HTTP call
MAX_PAGES = 20

CONNECTION_STATUSES = {"ERROR", "ACTIVE", "DOWN", "PENDING_CREATE", "PENDING_UPDATE", "PENDING_DELETE",
                       "FREEZED", "UNKNOWN"}
# Where a new connection's statuses come in its life: it may move forward between two reads, never back.
STATUS_ORDER = {"PENDING_CREATE": 0, "DOWN": 1, "ACTIVE": 1, "ERROR": 1}
GATEWAY_STATUSES = {"PENDING_CREATE", "PENDING_UPDATE", "PENDING_DELETE", "ACTIVE", "FAULT", "FREEZED"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, (": " + detail) if detail else ""), flush=True)
        return ok

    def fail(self, name, detail):
        return self.check(name, False, detail)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed or not self.passed else 0


def describe(exc):
    """An exception of a call as one line. Calls catch every Exception, not only the SDK's
    SdkException: the SDK lets a requests ReadTimeout through unwrapped."""
    if hasattr(exc, "status_code") and hasattr(exc, "error_code"):
        return "%s status=%s error_code=%s error_msg=%r request_id=%r" % (
            type(exc).__name__, exc.status_code, exc.error_code, exc.error_msg, getattr(exc, "request_id", None))
    return "%s: %s" % (type(exc).__name__, exc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:8080")
    parser.add_argument("--ak", required=True)
    parser.add_argument("--sk", required=True)
    parser.add_argument("--settle-ms", type=int, default=0,
                        help="the emulator's --settle: how long a new connection is PENDING_CREATE")
    parser.add_argument("--gateway", action="append", default=[], metavar="VGW_ID=IP[,IP]",
                        help="a gateway the emulator holds, and its EIP ids or private IPs (repeatable)")
    args = parser.parse_args()
    try:
        args.gateways = [(g.split("=", 1)[0], g.split("=", 1)[1].split(",")) for g in args.gateway]
    except IndexError:
        parser.error("--gateway must be VGW_ID=IP[,IP]")

    report = Report()

    def watchdog(signum, frame):
        report.fail("watchdog", "the run took more than %d s" % WATCHDOG_SECONDS)
        os._exit(report.finish() or 1)

    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(WATCHDOG_SECONDS)
    # Importing the SDK writes ~/.huaweicloud/application_id (sent in every User-Agent as app/<uuid>):
    # keep it out of the real home.
    home = tempfile.mkdtemp(prefix="vpnform-sdk-home-")
    os.environ["HOME"] = home
    try:
        run(args, report)
    except Exception:  # an answer so far off that a check itself broke: still one line, and the count
        report.fail("unexpected error", traceback.format_exc().strip().replace("\n", " | "))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    signal.alarm(0)
    return report.finish()


def run(args, report):
    try:
        from importlib.metadata import version
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
        from huaweicloudsdkcore.http.http_config import HttpConfig
        from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization
        from huaweicloudsdkvpn.v5 import (
            BatchCreateVpnConnectionRequest, BatchCreateVpnConnectionRequestBody, BatchCreateVpnConnectionResponse,
            CreateResponseVpnConnection, CreateVpnConnectionRequestBodyContent, Dpd, IkePolicy, IpsecPolicy,
            ListVgwsRequest, ListVgwsResponse, ListVpnConnectionsRequest, ListVpnConnectionsResponse, PageInfo,
            PolicyRule, ResponseEip, ResponseVpnConnection, ResponseVpnGateway, ShowVgwRequest, ShowVgwResponse,
            ShowVpnConnectionRequest, ShowVpnConnectionResponse, VpnClient, VpnResourceTag)
    except ImportError as e:
        report.fail("import the Huawei SDK", str(e))
        return
    versions = {p: version(p) for p in ("huaweicloudsdkcore", "huaweicloudsdkvpn")}
    report.check("SDK versions are %s" % SDK_VERSION, all(v == SDK_VERSION for v in versions.values()), str(versions))

    def client(sk):
        config = HttpConfig.get_default_config()
        config.timeout = CALL_TIMEOUT
        config.retry_times = 0
        config.ignore_ssl_verification = True
        return (VpnClient.new_builder()
                .with_http_config(config)
                .with_credentials(BasicCredentials(args.ak, sk, project))
                .with_endpoints([args.endpoint.rstrip("/")])
                .build())

    def plain(value):
        """A model (or list of models) as plain JSON values, as the SDK would send it."""
        return sanitize_for_serialization(value)

    def raw_json(response):
        try:
            return json.loads(response.raw_content)
        except (TypeError, ValueError):
            return None

    def keys_anywhere(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from keys_anywhere(v)
        elif isinstance(value, list):
            for v in value:
                yield from keys_anywhere(v)

    # A fresh project and gateway: nothing but this run's connections can match.
    project = uuid.uuid4().hex
    run = uuid.uuid4().hex[:6]
    vgw = str(uuid.uuid4())
    eip1, eip2 = str(uuid.uuid4()), str(uuid.uuid4())
    cgw_static, cgw_bgp, cgw_policy = (str(uuid.uuid4()) for _ in range(3))
    psks = {"static": "Sdk-Conformance-Static-01", "bgp": "Sdk.Conformance.Bgp.02", "policy": "SdkConformancePolicy03"}

    api = client(args.sk)

    # ---------------------------------------------------------------- batch-create
    def static_item(i, eip, role):
        return CreateVpnConnectionRequestBodyContent(
            name="sdk-%s-static-%d" % (run, i), vgw_id=vgw, vgw_ip=eip, style="static", cgw_id=cgw_static,
            peer_subnets=["192.168.10.0/24", "192.168.11.0/24"],
            enable_nqa=True if i == 1 else None,
            psk=psks["static"],
            ikepolicy=IkePolicy(ike_version="v2", authentication_algorithm="sha2-256", encryption_algorithm="aes-256",
                                dh_group="group16", lifetime_seconds=172800,
                                dpd=Dpd(timeout=30, interval=60, msg="seq-notify-hash")),
            ipsecpolicy=IpsecPolicy(authentication_algorithm="sha2-256", encryption_algorithm="aes-256", pfs="group16",
                                    lifetime_seconds=7200),
            ha_role=role,
            tags=[VpnResourceTag(key="team", value="netops"), VpnResourceTag(key="suite", value="sdk-conformance")])

    bgp_item = CreateVpnConnectionRequestBodyContent(
        name="sdk-%s-bgp-1" % run, vgw_id=vgw, vgw_ip=eip1, style="bgp", cgw_id=cgw_bgp,
        peer_subnets=["192.168.30.0/24"],
        tunnel_local_address="169.254.56.225/30", tunnel_peer_address="169.254.56.226/30",
        enable_hub=True, psk=psks["bgp"],
        ikepolicy=IkePolicy(dpd=Dpd(timeout=15, interval=30, msg="seq-hash-notify")),
        ipsecpolicy=IpsecPolicy(pfs="group15"))

    policy_item = CreateVpnConnectionRequestBodyContent(
        name="sdk-%s-policy-1" % run, vgw_id=vgw, vgw_ip=eip2, style="policy", cgw_id=cgw_policy,
        peer_subnets=["192.168.20.0/24", "192.168.21.0/24", "192.168.22.0/24"],
        psk=psks["policy"],
        policy_rules=[PolicyRule(source="10.10.0.0/24", destination=["192.168.20.0/24", "192.168.21.0/24"]),
                      PolicyRule(source="10.11.0.0/24", destination=["192.168.22.0/24"])],
        ikepolicy=IkePolicy(ike_version="v1", phase1_negotiation_mode="main", dpd=Dpd(timeout=20)),
        ipsecpolicy=IpsecPolicy(pfs="disable"),
        tags=[VpnResourceTag(key="suite", value="sdk-conformance")])

    batches = [
        ("static pair", "STATIC", [static_item(1, eip1, "master"), static_item(2, eip2, "slave")]),
        ("bgp", "BGP", [bgp_item]),
        ("policy", "POLICY", [policy_item]),
    ]
    created = {}  # id -> (sent item, CreateResponseVpnConnection)
    order = []

    for label, style, items in batches:
        name = "batch-create %s" % label
        try:
            resp = api.batch_create_vpn_connection(BatchCreateVpnConnectionRequest(
                body=BatchCreateVpnConnectionRequestBody(vpn_connections=items)))
        except Exception as e:
            report.fail(name + ": 201", describe(e))
            continue
        report.check(name + ": 201", resp.status_code == 201, "status %s" % resp.status_code)
        conns = resp.vpn_connections or []
        ok = (isinstance(resp, BatchCreateVpnConnectionResponse) and len(conns) == len(items)
              and all(isinstance(c, CreateResponseVpnConnection) for c in conns))
        report.check(name + ": parsed into BatchCreateVpnConnectionResponse with %d CreateResponseVpnConnection"
                     % len(items), ok, "got %r" % (resp,) if not ok else "")
        report.check(name + ": request_id", isinstance(resp.request_id, str) and resp.request_id != "",
                     "request_id %r" % resp.request_id)
        ids = [c.id for c in conns]
        report.check(name + ": ids are distinct UUIDs",
                     all(isinstance(i, str) and UUID_RE.match(i) for i in ids) and len(set(ids)) == len(ids)
                     and not set(ids) & set(created), "ids %r" % ids)
        report.check(name + ": style is %s" % style, all(c.style == style for c in conns),
                     "styles %r" % [c.style for c in conns])

        problems = []
        for sent, got in zip(items, conns):
            tag = got.name or got.id
            for field in ("name", "vgw_id", "vgw_ip", "cgw_id", "peer_subnets"):
                if getattr(got, field) != getattr(sent, field):
                    problems.append("%s.%s: sent %r, got %r" % (tag, field, getattr(sent, field), getattr(got, field)))
            if sent.ha_role is not None and got.ha_role != sent.ha_role:
                problems.append("%s.ha_role: sent %r, got %r" % (tag, sent.ha_role, got.ha_role))
            if sorted((t.key, t.value) for t in (got.tags or [])) != sorted((t.key, t.value) for t in (sent.tags or [])):
                problems.append("%s.tags: sent %r, got %r" % (tag, plain(sent.tags), plain(got.tags)))
            for flag in ("enable_nqa", "enable_hub"):
                want = getattr(sent, flag)
                if want is not None and getattr(got, flag) != want:
                    problems.append("%s.%s: sent %r, got %r" % (tag, flag, want, getattr(got, flag)))
            if sent.enable_nqa is None and got.enable_nqa:
                problems.append("%s.enable_nqa: not sent, got %r (default false)" % (tag, got.enable_nqa))
            if sent.tunnel_local_address is not None:
                if (got.tunnel_local_address, got.tunnel_peer_address) != (sent.tunnel_local_address, sent.tunnel_peer_address):
                    problems.append("%s: tunnel addresses sent %r/%r, got %r/%r" % (
                        tag, sent.tunnel_local_address, sent.tunnel_peer_address,
                        got.tunnel_local_address, got.tunnel_peer_address))
        report.check(name + ": answer echoes the request (name, ids, subnets, ha_role, tags, flags, tunnels)",
                     not problems, "; ".join(problems))

        problems = []
        for sent, got in zip(items, conns):
            tag = got.name or got.id
            ike, ipsec = got.ikepolicy, got.ipsecpolicy
            if not isinstance(ike, IkePolicy) or not isinstance(ike.dpd, Dpd):
                problems.append("%s: ikepolicy %r / dpd not parsed into IkePolicy/Dpd" % (tag, ike))
                continue
            if not isinstance(ipsec, IpsecPolicy):
                problems.append("%s: ipsecpolicy %r not parsed into IpsecPolicy" % (tag, ipsec))
                continue
            for path, want, have in [("ikepolicy." + k, v, getattr(ike, k))
                                     for k, v in plain(sent.ikepolicy).items() if k != "dpd"] \
                    + [("ikepolicy.dpd." + k, v, getattr(ike.dpd, k)) for k, v in plain(sent.ikepolicy.dpd).items()] \
                    + [("ipsecpolicy." + k, v, getattr(ipsec, k)) for k, v in plain(sent.ipsecpolicy).items()]:
                if want != have:
                    problems.append("%s.%s: sent %r, got %r" % (tag, path, want, have))
            # Documented server defaults ([C] in the reference) of what was not sent.
            for path, have, want in [
                ("ikepolicy.authentication_method", ike.authentication_method, "pre-share"),
                ("ikepolicy.local_id_type", ike.local_id_type, "ip"),
                ("ikepolicy.peer_id_type", ike.peer_id_type, "ip"),
                ("ipsecpolicy.transform_protocol", ipsec.transform_protocol, "esp"),
                ("ipsecpolicy.encapsulation_mode", ipsec.encapsulation_mode, "tunnel"),
            ]:
                if have != want:
                    problems.append("%s.%s: default %r expected, got %r" % (tag, path, want, have))
            for k in ("ike_version", "authentication_algorithm", "encryption_algorithm", "dh_group", "lifetime_seconds"):
                if getattr(ike, k) is None:
                    problems.append("%s.ikepolicy.%s: no server default filled in" % (tag, k))
            for k in ("interval", "timeout", "msg"):
                if getattr(ike.dpd, k) is None:
                    problems.append("%s.ikepolicy.dpd.%s: no server default filled in" % (tag, k))
            for k in ("authentication_algorithm", "encryption_algorithm", "pfs", "lifetime_seconds"):
                if getattr(ipsec, k) is None:
                    problems.append("%s.ipsecpolicy.%s: no server default filled in" % (tag, k))
        report.check(name + ": ikepolicy (with dpd) and ipsecpolicy parsed, sent values kept, defaults filled",
                     not problems, "; ".join(problems))

        report.check(name + ": created_at/updated_at are yyyy-MM-ddTHH:mm:ss.SSSZ",
                     all(isinstance(c.created_at, str) and TIMESTAMP.match(c.created_at)
                         and isinstance(c.updated_at, str) and TIMESTAMP.match(c.updated_at) for c in conns),
                     "created_at %r updated_at %r" % ([c.created_at for c in conns], [c.updated_at for c in conns]))

        if style in ("STATIC", "BGP"):
            problems = []
            for c in conns:
                try:
                    local = ipaddress.ip_interface(c.tunnel_local_address)
                    peer = ipaddress.ip_interface(c.tunnel_peer_address)
                    if not (local.network == peer.network and local.network.prefixlen == 30
                            and local.ip != peer.ip and local.ip in ipaddress.ip_network("169.254.0.0/16")):
                        problems.append("%s: %s / %s" % (c.name, c.tunnel_local_address, c.tunnel_peer_address))
                except (TypeError, ValueError):
                    problems.append("%s: %r / %r" % (c.name, c.tunnel_local_address, c.tunnel_peer_address))
            report.check(name + ": tunnel addresses are the two hosts of one 169.254.x.x/30", not problems,
                         "; ".join(problems))

        if style == "POLICY":
            got_rules = conns[0].policy_rules if conns else None
            ok = isinstance(got_rules, list) and got_rules and all(isinstance(r, PolicyRule) for r in got_rules)
            sent_pairs = sorted((r.source, d) for r in policy_item.policy_rules for d in r.destination)
            got_pairs = sorted((r.source, d) for r in (got_rules or []) for d in (r.destination or []))
            indexes_ok = all(r.rule_index is None or (isinstance(r.rule_index, int) and 0 <= r.rule_index <= 50)
                             for r in (got_rules or []))
            report.check(name + ": policy_rules parsed into PolicyRule; same source/destination pairs (maybe split)",
                         ok and sent_pairs == got_pairs and indexes_ok,
                         "sent %r, got %r" % (plain(policy_item.policy_rules), plain(got_rules)))

        body = raw_json(resp)
        text = (resp.raw_content or b"").decode("utf-8", "replace")
        leaked = [p for p in psks.values() if p in text]
        report.check(name + ": no psk in the answer (no psk key, no psk value, no psk attribute)",
                     body is not None and "psk" not in set(keys_anywhere(body)) and not leaked
                     and all(getattr(c, "psk", None) is None for c in conns),
                     "raw answer has a psk key or value" if body is not None else "answer is not JSON: %r" % text[:200])

        for sent, got in zip(items, conns):
            if got.id:
                created[got.id] = (sent, got)
                order.append(got.id)

    # ---------------------------------------------------------------- list, paged
    listed = {}

    def page_through(limit):
        """Lists the gateway's connections `limit` at a time, following page_info.next_marker."""
        seen, problems, pages, marker = [], [], 0, None
        try:
            while pages < MAX_PAGES:
                req = ListVpnConnectionsRequest(vgw_id=vgw, limit=limit)
                if marker is not None:
                    req.marker = marker
                resp = api.list_vpn_connections(req)
                pages += 1
                conns = resp.vpn_connections or []
                where = "limit=%d page %d" % (limit, pages)
                if not isinstance(resp, ListVpnConnectionsResponse) or resp.status_code != 200:
                    problems.append("%s: %s status %s" % (where, type(resp).__name__, resp.status_code))
                if not all(isinstance(c, ResponseVpnConnection) for c in conns):
                    problems.append("%s: items not parsed into ResponseVpnConnection" % where)
                info = resp.page_info
                if not isinstance(info, PageInfo) or info.current_count != len(conns):
                    problems.append("%s: page_info %r for %d items" % (where, plain(info), len(conns)))
                if resp.total_count != len(created):
                    problems.append("%s: total_count %r, expected %d" % (where, resp.total_count, len(created)))
                if not isinstance(resp.request_id, str) or not resp.request_id:
                    problems.append("%s: request_id %r" % (where, resp.request_id))
                if len(conns) > limit:
                    problems.append("%s: %d items" % (where, len(conns)))
                body = raw_json(resp)
                if body is None or "psk" in set(keys_anywhere(body)):
                    problems.append("%s: raw answer is not JSON or has a psk key" % where)
                for c in conns:
                    seen.append(c.id)
                    listed.setdefault(c.id, c)
                if len(conns) < limit:  # a short page is the last one
                    break
                if not isinstance(info, PageInfo) or not info.next_marker:
                    problems.append("%s: full page without page_info.next_marker" % where)
                    break
                if info.next_marker != conns[-1].created_at:
                    problems.append("%s: next_marker %r is not the last item's created_at %r"
                                    % (where, info.next_marker, conns[-1].created_at))
                marker = info.next_marker
            else:
                problems.append("limit=%d: more than %d pages" % (limit, MAX_PAGES))
        except Exception as e:
            problems.append("limit=%d page %d: %s" % (limit, pages + 1, describe(e)))
        return seen, pages, problems

    if not created:
        report.fail("list connections", "skipped: nothing was created")
    else:
        for limit in (2, 3):
            name = "list vgw_id, limit=%d, paged with marker" % limit
            seen, pages, problems = page_through(limit)
            report.check(name + ": page_info/total_count/request_id parse", not problems, "; ".join(problems))
            dupes = sorted({i for i in seen if seen.count(i) > 1})
            missing = [i for i in order if i not in seen]
            extra = sorted(set(seen) - set(created))
            report.check(name + ": every created id exactly once (%d ids, %d pages)" % (len(created), pages),
                         not dupes and not missing and not extra,
                         "duplicates %r, missing %r, extra %r" % (dupes, missing, extra))
            report.check(name + ": oldest first", seen == order, "listed %r, created %r" % (seen, order))
        bad = {i: c.status for i, c in listed.items() if c.status not in CONNECTION_STATUSES}
        report.check("list: every status is a documented connection status", not bad, "statuses %r" % bad)

        try:
            resp = api.list_vpn_connections(ListVpnConnectionsRequest(vgw_id=vgw))
            ids = sorted(c.id for c in resp.vpn_connections or [])
            report.check("list without limit: all %d in one page" % len(created),
                         ids == sorted(created) and resp.total_count == len(created)
                         and resp.page_info is not None and resp.page_info.current_count == len(created),
                         "ids %r total_count %r page_info %r" % (ids, resp.total_count, plain(resp.page_info)))
        except Exception as e:
            report.fail("list without limit: all %d in one page" % len(created), describe(e))

        try:
            resp = api.list_vpn_connections(ListVpnConnectionsRequest(vgw_id=str(uuid.uuid4()), limit=2))
            report.check("list of another gateway: empty, total_count 0",
                         not (resp.vpn_connections or []) and resp.total_count == 0,
                         "%d items, total_count %r" % (len(resp.vpn_connections or []), resp.total_count))
        except Exception as e:
            report.fail("list of another gateway: empty, total_count 0", describe(e))

    # ---------------------------------------------------------------- show
    common = [k for k in CreateResponseVpnConnection.openapi_types if k in ResponseVpnConnection.openapi_types]
    for cid in order:
        sent, made = created[cid]
        name = "show %s" % made.name
        try:
            resp = api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=cid))
        except Exception as e:
            report.fail(name, describe(e))
            continue
        conn = resp.vpn_connection
        ok = (isinstance(resp, ShowVpnConnectionResponse) and resp.status_code == 200
              and isinstance(conn, ResponseVpnConnection) and conn.id == cid)
        diffs = ["%s: created %r, shown %r" % (k, plain(getattr(made, k)), plain(getattr(conn, k)))
                 for k in common if ok and plain(getattr(made, k)) != plain(getattr(conn, k))]
        if ok and cid in listed:
            # The status may have moved on between the list and the show (PENDING_CREATE, then DOWN).
            diffs += ["%s: listed %r, shown %r" % (k, plain(getattr(listed[cid], k)), plain(getattr(conn, k)))
                      for k in ResponseVpnConnection.openapi_types
                      if k != "status" and plain(getattr(listed[cid], k)) != plain(getattr(conn, k))]
            if STATUS_ORDER.get(conn.status, -1) < STATUS_ORDER.get(listed[cid].status, 99):
                diffs.append("status went back from %r (listed) to %r (shown)" % (listed[cid].status, conn.status))
        if ok and conn.status not in CONNECTION_STATUSES:
            diffs.append("status %r is not documented" % conn.status)
        if ok and (not isinstance(resp.request_id, str) or not resp.request_id):
            diffs.append("request_id %r" % resp.request_id)
        body = raw_json(resp)
        if ok and (body is None or "psk" in set(keys_anywhere(body))):
            diffs.append("raw answer is not JSON or has a psk key")
        report.check(name + ": 200, ShowVpnConnectionResponse equal to the create and list answers, no psk",
                     ok and not diffs, "; ".join(diffs) if ok else "got %s status %s: %r"
                     % (type(resp).__name__, resp.status_code, resp))

    missing_id = str(uuid.uuid4())
    try:
        resp = api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=missing_id))
        report.fail("show an unknown id: 404 VPN.0004", "got status %s" % resp.status_code)
    except ClientRequestException as e:
        report.check("show an unknown id: 404 VPN.0004", e.status_code == 404 and e.error_code == "VPN.0004",
                     describe(e))
    except Exception as e:
        report.fail("show an unknown id: 404 VPN.0004", describe(e))

    # ---------------------------------------------------------------- wrong secret key
    wrong = client(args.sk[::-1] + "x")

    def expect_error(name, call, status, code, must_name=None, must_not_contain=()):
        try:
            resp = call()
        except ClientRequestException as e:
            ok = e.status_code == status and e.error_code == code
            if must_name is not None:
                ok = ok and must_name in (e.error_msg or "")
            ok = ok and not any(s in (e.error_msg or "") for s in must_not_contain)
            ok = ok and isinstance(e.request_id, str) and e.request_id != ""
            return report.check(name, ok, describe(e))
        except Exception as e:
            return report.fail(name, describe(e))
        return report.fail(name, "no error: status %s" % getattr(resp, "status_code", "?"))

    expect_error("wrong SK, list: ClientRequestException 401 APIGW.0301",
                 lambda: wrong.list_vpn_connections(ListVpnConnectionsRequest(vgw_id=vgw, limit=2)),
                 401, "APIGW.0301")
    expect_error("wrong SK, batch-create: ClientRequestException 401 APIGW.0301",
                 lambda: wrong.batch_create_vpn_connection(BatchCreateVpnConnectionRequest(
                     body=BatchCreateVpnConnectionRequestBody(vpn_connections=[static_item(3, eip1, None)]))),
                 401, "APIGW.0301")

    # ---------------------------------------------------------------- invalid bodies
    def one(item):
        return lambda: api.batch_create_vpn_connection(BatchCreateVpnConnectionRequest(
            body=BatchCreateVpnConnectionRequestBody(vpn_connections=[item])))

    nqa_on_bgp = CreateVpnConnectionRequestBodyContent(
        name="sdk-%s-bad-nqa" % run, vgw_id=vgw, vgw_ip=eip1, style="bgp", cgw_id=cgw_bgp,
        peer_subnets=["192.168.40.0/24"], enable_nqa=False, psk=psks["bgp"])
    expect_error("invalid body, enable_nqa=false with style bgp: 400 VPN.0001 naming enable_nqa",
                 one(nqa_on_bgp), 400, "VPN.0001", must_name="enable_nqa")

    short_psk = "Ab1-xyz"  # 7 characters
    bad_psk = CreateVpnConnectionRequestBodyContent(
        name="sdk-%s-bad-psk" % run, vgw_id=vgw, vgw_ip=eip1, style="static", cgw_id=cgw_static,
        peer_subnets=["192.168.41.0/24"], psk=short_psk)
    expect_error("invalid body, 7-character psk: 400 VPN.0001 naming psk, not echoing it",
                 one(bad_psk), 400, "VPN.0001", must_name="psk", must_not_contain=(short_psk,))

    other_gateway = static_item(4, eip2, None)
    other_gateway.vgw_id = str(uuid.uuid4())
    expect_error("invalid body, two connections on different gateways: 400 VPN.0001 naming vgw_id",
                 lambda: api.batch_create_vpn_connection(BatchCreateVpnConnectionRequest(
                     body=BatchCreateVpnConnectionRequestBody(
                         vpn_connections=[static_item(5, eip1, None), other_gateway]))),
                 400, "VPN.0001", must_name="vgw_id")

    check_gateways(args, report, api, project, run, describe, plain, raw_json, ClientRequestException,
                   (ListVgwsRequest, ListVgwsResponse, ResponseEip, ResponseVpnGateway, ShowVgwRequest,
                    ShowVgwResponse, ShowVpnConnectionRequest, BatchCreateVpnConnectionRequest,
                    BatchCreateVpnConnectionRequestBody, CreateVpnConnectionRequestBodyContent))

    if created:
        try:
            resp = api.list_vpn_connections(ListVpnConnectionsRequest(vgw_id=vgw))
            report.check("rejected calls created nothing", resp.total_count == len(created),
                         "total_count %r, expected %d" % (resp.total_count, len(created)))
        except Exception as e:
            report.fail("rejected calls created nothing", describe(e))

    if created:
        check_lifecycle(report, api, sorted(created)[0], describe, ClientRequestException, ShowVpnConnectionRequest,
                        args.settle_ms)


def check_lifecycle(report, api, cid, describe, ClientRequestException, ShowVpnConnectionRequest, settle_ms):
    """Update, tags and delete through the SDK: every answer parses into its response model."""
    from huaweicloudsdkvpn.v5 import (
        BatchCreateResourceTagsRequest, BatchDeleteResourceTagsRequest, CreateResourcesTagsRequestBody,
        DeleteResourcesTagsRequestBody, DeleteVpnConnectionRequest, ResourceTag, ShowResourceTagsRequest,
        UpdateVpnConnectionRequest, UpdateVpnConnectionRequestBody, UpdateVpnConnectionRequestBodyContent,
        UpdateVpnConnectionResponse)
    name = "UpdateVpnConnection"
    try:
        body = UpdateVpnConnectionRequestBody(vpn_connection=UpdateVpnConnectionRequestBodyContent(
            name="conformance-updated", peer_subnets=["10.99.0.0/24"], psk="Conformance-Key-2"))
        resp = api.update_vpn_connection(UpdateVpnConnectionRequest(vpn_connection_id=cid, body=body))
        c = resp.vpn_connection
        report.check(name + ": 200, UpdateVpnConnectionResponse with the new name and subnets, no psk",
                     resp.status_code == 200 and isinstance(resp, UpdateVpnConnectionResponse) and c.id == cid
                     and c.name == "conformance-updated" and c.peer_subnets == ["10.99.0.0/24"]
                     and b"Conformance-Key-2" not in (resp.raw_content or b""),
                     "status %s, %r" % (resp.status_code, c))
        shown = api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=cid)).vpn_connection
        report.check(name + ": show returns the updated values", shown.peer_subnets == ["10.99.0.0/24"], repr(shown))
    except Exception as e:
        report.fail(name, describe(e))
    name = "BatchCreateResourceTags / ShowResourceTags / BatchDeleteResourceTags"
    try:
        tags = [ResourceTag(key="team", value="netops"), ResourceTag(key="site", value="sh")]
        resp = api.batch_create_resource_tags(BatchCreateResourceTagsRequest(
            resource_type="vpn-connection", resource_id=cid, body=CreateResourcesTagsRequestBody(tags=tags)))
        report.check("BatchCreateResourceTags: 204", resp.status_code == 204, "status %s" % resp.status_code)
        resp = api.batch_delete_resource_tags(BatchDeleteResourceTagsRequest(
            resource_type="vpn-connection", resource_id=cid,
            body=DeleteResourcesTagsRequestBody(tags=[ResourceTag(key="site", value="sh")])))
        report.check("BatchDeleteResourceTags: 204", resp.status_code == 204, "status %s" % resp.status_code)
        resp = api.show_resource_tags(ShowResourceTagsRequest(resource_type="vpn-connection", resource_id=cid))
        got = [(t.key, t.value) for t in (resp.tags or [])]
        report.check("ShowResourceTags: 200, the tags left", resp.status_code == 200 and ("team", "netops") in got
                     and not any(k == "site" for k, _ in got),
                     "status %s, tags %r" % (resp.status_code, got))
    except Exception as e:
        report.fail(name, describe(e))
    name = "DeleteVpnConnection"
    try:
        resp = api.delete_vpn_connection(DeleteVpnConnectionRequest(vpn_connection_id=cid))
        report.check(name + ": 204", resp.status_code == 204, "status %s" % resp.status_code)
        status = api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=cid)).vpn_connection.status
        report.check(name + ": PENDING_DELETE while it settles", status == "PENDING_DELETE", "status %s" % status)
        time.sleep(settle_ms / 1000 + 0.5)
        try:
            api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=cid))
            report.fail(name + ": show afterwards is 404", "still there")
        except ClientRequestException as e:
            report.check(name + ": then show is 404 VPN.0004", e.status_code == 404 and e.error_code == "VPN.0004",
                         describe(e))
        try:
            api.delete_vpn_connection(DeleteVpnConnectionRequest(vpn_connection_id=cid))
            report.fail(name + ": a second delete is 404", "answered success")
        except ClientRequestException as e:
            report.check(name + ": a second delete is 404 VPN.0004", e.status_code == 404, describe(e))
    except Exception as e:
        report.fail(name, describe(e))


def check_gateways(args, report, api, project, run, describe, plain, raw_json, ClientRequestException, models):
    """ShowVgw and ListVgws on the gateways the emulator was started with; a pair created on the first
    one counts in its used_connection_number; one connection polled from PENDING_CREATE to DOWN."""
    (ListVgwsRequest, ListVgwsResponse, ResponseEip, ResponseVpnGateway, ShowVgwRequest, ShowVgwResponse,
     ShowVpnConnectionRequest, BatchCreateVpnConnectionRequest, BatchCreateVpnConnectionRequestBody,
     CreateVpnConnectionRequestBodyContent) = models
    if not args.gateways:
        report.fail("gateways", "skipped: no --gateway given")
        return

    def gateway_problems(g, vgw_id, ips):
        """What is wrong with a parsed ResponseVpnGateway for `vgw_id` with addresses `ips`."""
        if not isinstance(g, ResponseVpnGateway):
            return ["not parsed into ResponseVpnGateway: %r" % (g,)]
        problems = []
        private = [ip for ip in ips if re.match(r"^\d+\.\d+\.\d+\.\d+$", ip)]
        eips = [ip for ip in ips if ip not in private]
        if g.id != vgw_id:
            problems.append("id %r" % g.id)
        if g.status not in GATEWAY_STATUSES:
            problems.append("status %r is not a documented gateway status" % g.status)
        if g.network_type != ("private" if private and not eips else "public"):
            problems.append("network_type %r" % g.network_type)
        if g.attachment_type not in ("vpc", "er") or g.ha_mode not in ("active-active", "active-standby"):
            problems.append("attachment_type %r ha_mode %r" % (g.attachment_type, g.ha_mode))
        got_eips = [e for e in (g.eip1, g.eip2) if e is not None]
        if not all(isinstance(e, ResponseEip) and isinstance(e.ip_address, str) for e in got_eips):
            problems.append("eip1/eip2 not parsed into ResponseEip with ip_address: %r" % plain(got_eips))
        if [e.id for e in got_eips] != eips:
            problems.append("eip ids %r, expected %r" % ([e.id for e in got_eips], eips))
        if [ip for ip in (g.access_private_ip_1, g.access_private_ip_2) if ip] != private:
            problems.append("access_private_ip_1/2 %r/%r, expected %r"
                            % (g.access_private_ip_1, g.access_private_ip_2, private))
        if not isinstance(g.connection_number, int) or not isinstance(g.used_connection_number, int):
            problems.append("connection_number %r used_connection_number %r"
                            % (g.connection_number, g.used_connection_number))
        if not isinstance(g.created_at, str) or not TIMESTAMP.match(g.created_at):
            problems.append("created_at %r" % (g.created_at,))
        return problems

    # ---------------------------------------------------------------- ShowVgw / ListVgws
    for vgw_id, ips in args.gateways:
        name = "ShowVgw %s" % vgw_id
        try:
            resp = api.show_vgw(ShowVgwRequest(vgw_id=vgw_id))
            problems = gateway_problems(resp.vpn_gateway, vgw_id, ips)
            if not isinstance(resp, ShowVgwResponse) or resp.status_code != 200:
                problems.append("%s status %s" % (type(resp).__name__, resp.status_code))
            if not isinstance(resp.request_id, str) or not resp.request_id:
                problems.append("request_id %r" % resp.request_id)
            body = raw_json(resp)
            if body is None or set(body) != {"vpn_gateway", "request_id"}:
                problems.append("raw answer keys %r" % (sorted(body) if isinstance(body, dict) else body))
            elif resp.vpn_gateway is not None and resp.vpn_gateway.used_connection_number != 0:
                problems.append("used_connection_number %r in a fresh project"
                                % resp.vpn_gateway.used_connection_number)
            report.check(name + ": 200, ShowVgwResponse with ResponseVpnGateway/ResponseEip, the given addresses",
                         not problems, "; ".join(problems))
        except Exception as e:
            report.fail(name, describe(e))

    try:
        resp = api.list_vgws(ListVgwsRequest())
        gateways = resp.vpn_gateways or []
        by_id = {g.id: g for g in gateways if isinstance(g, ResponseVpnGateway)}
        problems = []
        if not isinstance(resp, ListVgwsResponse) or resp.status_code != 200:
            problems.append("%s status %s" % (type(resp).__name__, resp.status_code))
        if len(by_id) != len(gateways):
            problems.append("items not parsed into ResponseVpnGateway, or repeated")
        for vgw_id, ips in args.gateways:
            if vgw_id not in by_id:
                problems.append("%s missing" % vgw_id)
            else:
                problems += ["%s: %s" % (vgw_id, p) for p in gateway_problems(by_id[vgw_id], vgw_id, ips)]
        if not isinstance(resp.request_id, str) or not resp.request_id:
            problems.append("request_id %r" % resp.request_id)
        report.check("ListVgws: 200, ListVgwsResponse holding every given gateway", not problems, "; ".join(problems))
    except Exception as e:
        report.fail("ListVgws", describe(e))

    first, first_ips = args.gateways[0]
    try:
        resp = api.list_vgws(ListVgwsRequest(vgw_id=first))
        ids = [g.id for g in resp.vpn_gateways or []]
        report.check("ListVgws vgw_id=%s: only that gateway" % first, ids == [first], "ids %r" % ids)
    except Exception as e:
        report.fail("ListVgws vgw_id=%s" % first, describe(e))

    missing = str(uuid.uuid4())
    try:
        resp = api.show_vgw(ShowVgwRequest(vgw_id=missing))
        report.fail("ShowVgw of an unknown gateway: 404 VPN.0509", "got status %s" % resp.status_code)
    except ClientRequestException as e:
        report.check("ShowVgw of an unknown gateway: 404 VPN.0509",
                     e.status_code == 404 and e.error_code == "VPN.0509" and bool(e.request_id), describe(e))
    except Exception as e:
        report.fail("ShowVgw of an unknown gateway: 404 VPN.0509", describe(e))

    # ---------------------------------------------------------------- a pair on the first gateway, polled
    items = [CreateVpnConnectionRequestBodyContent(
        name="sdk-%s-gw-%d" % (run, i + 1), vgw_id=first, vgw_ip=ip, style="static", cgw_id=str(uuid.uuid4()),
        peer_subnets=["192.168.60.0/24"], psk="Sdk-Conformance-Gateway-04") for i, ip in enumerate(first_ips)]
    try:
        resp = api.batch_create_vpn_connection(BatchCreateVpnConnectionRequest(
            body=BatchCreateVpnConnectionRequestBody(vpn_connections=items)))
        ids = [c.id for c in resp.vpn_connections or []]
    except Exception as e:
        report.fail("batch-create on %s (a given gateway, its own addresses)" % first, describe(e))
        return
    report.check("batch-create on %s (a given gateway, its own addresses): 201" % first,
                 resp.status_code == 201 and len(ids) == len(items), "status %s, ids %r" % (resp.status_code, ids))
    try:
        used = api.show_vgw(ShowVgwRequest(vgw_id=first)).vpn_gateway.used_connection_number
        report.check("ShowVgw: used_connection_number counts the %d new connections" % len(ids), used == len(ids),
                     "used_connection_number %r" % used)
    except Exception as e:
        report.fail("ShowVgw: used_connection_number", describe(e))
    if not ids:
        return

    import time
    settle = args.settle_ms / 1000.0
    start = time.monotonic()
    seen, problems = [], []
    try:
        while time.monotonic() - start < settle + 10:
            got = api.show_vpn_connection(ShowVpnConnectionRequest(vpn_connection_id=ids[0])).vpn_connection.status
            if not seen or seen[-1][0] != got:
                seen.append((got, round(time.monotonic() - start, 2)))
            if got is None or not got.startswith("PENDING_"):
                break
            time.sleep(0.2)
    except Exception as e:
        problems.append(describe(e))
    statuses = [s for s, _ in seen]
    want = ["PENDING_CREATE", "DOWN"] if args.settle_ms > 0 else ["DOWN"]
    if statuses != want:
        problems.append("statuses %r, expected %r" % (seen, want))
    elif args.settle_ms > 0 and seen[-1][1] < settle * 0.9:
        problems.append("DOWN after %.2f s, before --settle-ms %d" % (seen[-1][1], args.settle_ms))
    report.check("ShowVpnConnection polled: %s" % " -> ".join(want), not problems, "; ".join(problems))


if __name__ == "__main__":
    sys.exit(main())
