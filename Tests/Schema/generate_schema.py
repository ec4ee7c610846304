#!/usr/bin/env python3
"""Generates schemas/vpnform.schema.json: python3 Tests/Schema/generate_schema.py schemas/vpnform.schema.json

Edit this generator, not the JSON: the schema's regexes (network addresses, /30 host addresses) are built here."""
import json, sys
from pathlib import Path

OCT = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
IPV4 = rf"{OCT}\.{OCT}\.{OCT}\.{OCT}"
PREFIX = r"(3[0-2]|[12]?[0-9])"

# The keys a connection, its tunnels and defaults accept, in order: written from the Swift attribute
# table (AttributeTable) and held to it by AttributeTableTests. Add an attribute there, not here.
ATTRIBUTES = json.loads((Path(__file__).parent / "attributes.json").read_text(encoding="utf-8"))


def from_table(props, what, subset=False):
    """props in the table's order of `what`'s keys; every key the table lists needs a description here
    (and, unless subset, every description a key in the table)."""
    keys = ATTRIBUTES[what]
    missing, extra = set(keys) - set(props), set() if subset else set(props) - set(keys)
    assert not missing and not extra, f"{what}: no description of {sorted(missing)}; not in the table: {sorted(extra)}"
    return {k: props[k] for k in keys}


def alt(values):
    vals = sorted((str(v) for v in values), key=lambda s: (-len(s), s))
    return "(" + "|".join(vals) + ")" if len(vals) > 1 else vals[0]


# Octet values that are multiples of 2 and of 4, written compactly (100 is a multiple of 4, so
# divisibility by 4 depends on the last two digits only).
M4_2DIGIT = "([02468][048]|[13579][26])"
MULTIPLES = {
    2: "(25[024]|2[0-4][02468]|1[0-9][02468]|[1-9][02468]|[02468])",
    4: f"(252|2([024][048]|[13][26])|1{M4_2DIGIT}|{M4_2DIGIT}|[048])",
}


def network_address_pattern():
    """Exactly the CIDRs whose address has no host bits set, one alternative per prefix length."""
    parts = []
    for p in range(33):
        full, bits = divmod(p, 8)
        octs = []
        for i in range(4):
            if i < full:
                octs.append(OCT)
            elif i == full:
                step = 2 ** (8 - bits)
                octs.append(MULTIPLES.get(step) or alt(range(0, 256, step)))
            else:
                octs.append("0")
        parts.append(r"\.".join(octs) + f"/{p}")
    return "^(" + "|".join(parts) + ")$"


ENDPOINT = (r"^([Hh][Tt][Tt][Pp][Ss]://[^\s/?#]+"
            rf"|[Hh][Tt][Tt][Pp]://([Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|127(\.{OCT}){{3}}|\[::1\])(:[0-9]{{1,5}})?)/?$")
OCT_NOT_195 = r"(25[0-5]|2[0-4][0-9]|19[0-46-9]|1[0-8][0-9]|[1-9]?[0-9])"
HOST_IN_30 = alt(v for v in range(256) if v % 4 in (1, 2))
import ipaddress

RESERVED_BLOCKS = ["100.64.0.0/10", "214.0.0.0/8"]
NON_UNICAST_BLOCKS = ["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4"]


def supernets(blocks):
    """Every network (written with its network address) that strictly contains one of blocks."""
    out = set()
    for b in blocks:
        net = ipaddress.IPv4Network(b)
        out.update(str(net.supernet(new_prefix=p)) for p in range(net.prefixlen))
    return sorted(out, key=lambda n: (ipaddress.IPv4Network(n).network_address, ipaddress.IPv4Network(n).prefixlen))


def esc(text):
    return text.replace(".", r"\.")


# A network inside a block starts with the block's leading octets (the network-address rule
# rules out a shorter prefix); a network containing a block is one of finitely many strings.
RESERVED_INSIDE = r"^(100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])|214)\."
RESERVED_CONTAINING = "^(" + "|".join(esc(n) for n in supernets(RESERVED_BLOCKS)) + ")$"
NON_UNICAST_INSIDE = r"^(0|127|22[4-9]|2[34][0-9]|25[0-5])\."
NON_UNICAST_CONTAINING = "^(" + "|".join(esc(n) for n in supernets(NON_UNICAST_BLOCKS)) + ")$"
SPECIAL = r"[~!@#$%^()_+={ },./:;-]"
PSK_CHARS = r"^[A-Za-z0-9~!@#$%^()_+={ },./:;-]*$"
U, L, D = "[A-Z]", "[a-z]", "[0-9]"
combos = [(U, L, D), (U, L, SPECIAL), (U, D, SPECIAL), (L, D, SPECIAL)]
PSK_CLASSES = "^(" + "|".join("".join(f"(?=.*{c})" for c in combo) for combo in combos) + ")"
ENV_REF = r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$"
# Tag text: of ASCII only A-Z a-z 0-9 space _ . : = + - @; any other character is left to vpnform
# (which allows letters and digits of every script). Written as "not a forbidden ASCII character".
TAG_TEXT = r"^[^\x00-\x1F\x21-\x2A\x2C\x2F\x3B\x3C\x3E\x3F\x5B-\x5E\x60\x7B-\x7F]*$"

AUTH_ALGS = ["sha1", "md5", "sha2-256", "sha2-384", "sha2-512"]
ENC_ALGS = ["3des", "aes-128", "aes-192", "aes-256", "aes-128-gcm-16", "aes-256-gcm-16",
            "aes-128-gcm-128", "aes-256-gcm-128"]
DH_GROUPS = ["group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21"]


def prop(title, description, schema=None, **kw):
    out = {"title": title, "description": description}
    if schema:
        out.update(schema)
    out.update(kw)
    return out


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


defs = {}

defs["uuid"] = {
    "title": "UUID",
    "description": "A 36-character UUID: 8-4-4-4-12 hexadecimal digits.",
    "type": "string",
    "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}
defs["handle"] = {
    "title": "Name",
    "description": "1-64 characters of A-Z a-z 0-9 _ . - (the API's name rule, ASCII only).",
    "type": "string",
    "pattern": "^[A-Za-z0-9_.-]{1,64}$",
}
defs["ipv4_address"] = {
    "title": "IPv4 address",
    "description": "A dotted-quad IPv4 address such as 10.0.0.10 (no leading zeros).",
    "type": "string",
    "pattern": f"^{IPV4}$",
}
defs["ipv4_cidr"] = {
    "title": "IPv4 CIDR",
    "description": "An IPv4 network in CIDR form such as 192.168.2.0/24. The address must be the network "
                   "address of the prefix (no host bits set), and the network must not overlap a range "
                   "reserved by the VPC service (100.64.0.0/10, 214.0.0.0/8) or a range that is not "
                   "unicast (0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 240.0.0.0/4).",
    "type": "string",
    "allOf": [
        {"pattern": f"^{IPV4}/{PREFIX}$"},
        {"$comment": "Network address: one alternative per prefix length, listing the octet values "
                     "that leave no host bits set.",
         "pattern": network_address_pattern()},
        {"$comment": "Inside or containing a range reserved by the VPC service: 100.64.0.0/10, 214.0.0.0/8.",
         "not": {"anyOf": [{"pattern": RESERVED_INSIDE}, {"pattern": RESERVED_CONTAINING}]}},
        {"$comment": "Inside or containing a range that is not unicast: 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, "
                     "240.0.0.0/4.",
         "not": {"anyOf": [{"pattern": NON_UNICAST_INSIDE}, {"pattern": NON_UNICAST_CONTAINING}]}},
    ],
}
defs["tunnel_address"] = {
    "title": "Tunnel interface address",
    "description": "A /30 address in 169.254.0.0/16, outside 169.254.195.0/24, that is a usable host of its "
                   "/30 (not the network or broadcast address), e.g. 169.254.76.1/30. The local and peer "
                   "addresses must be the two hosts of the same /30 (checked by vpnform, not by this schema).",
    "type": "string",
    "allOf": [
        {"pattern": f"^169\\.254\\.{OCT}\\.{OCT}/30$"},
        {"$comment": "169.254.195.0/24 is reserved.", "not": {"pattern": r"^169\.254\.195\."}},
        {"$comment": "Host address of its /30: last octet mod 4 is 1 or 2.",
         "pattern": f"^169\\.254\\.{OCT_NOT_195}\\.{HOST_IN_30}/30$"},
    ],
}
defs["psk"] = {
    "title": "Pre-shared key",
    "description": "Either ${ENV_NAME}, read from the environment when apply needs it (recommended), or a "
                   "literal key (vpnform warns that a plaintext secret is committed). A literal key is 8-128 "
                   "characters of upper case, lower case, digits and the specials ~!@#$%^()-_+={ },./:; "
                   "(space included), using at least 3 of those 4 classes. Never stored in state, plans or logs.",
    "type": "string",
    "anyOf": [
        {"title": "Environment reference", "pattern": ENV_REF},
        {"title": "Literal key",
         "allOf": [
             {"$comment": "A value starting with ${ is an environment reference, never a literal.",
              "not": {"pattern": r"^\$\{"}},
             {"minLength": 8, "maxLength": 128},
             {"pattern": PSK_CHARS},
             {"$comment": "At least 3 of: upper case, lower case, digits, specials.",
              "pattern": PSK_CLASSES},
         ]},
    ],
}
defs["tags"] = {
    "title": "Tags",
    "description": "Resource tags as a map of key to value (sent to the API as [{key, value}]); at most 20. "
                   "Keys are 1-128 characters, values 0-255 characters; both allow letters and digits (of "
                   "any script, e.g. Chinese, Spanish and Portuguese letters), space and _ . : = + - @.",
    "type": "object",
    "maxProperties": 20,
    "propertyNames": {"minLength": 1, "maxLength": 128, "pattern": TAG_TEXT},
    "additionalProperties": {
        "title": "Tag value",
        "description": "0-255 characters: letters, digits, space and _ . : = + - @.",
        "type": "string",
        "maxLength": 255,
        "pattern": TAG_TEXT,
    },
}

defs["dpd"] = {
    "title": "Dead peer detection",
    "description": "DPD settings of the IKE policy. Merged key by key with defaults.ikepolicy.dpd.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "timeout": prop("DPD timeout", "Interval in seconds between DPD packet retransmissions, 2-60 "
                        "(server default 15).", {"type": "integer", "minimum": 2, "maximum": 60}),
        "interval": prop("DPD interval", "DPD idle time in seconds, 10-3600 (server default 30).",
                         {"type": "integer", "minimum": 10, "maximum": 3600}),
        "msg": prop("DPD message order", "Order of the payloads in DPD packets (server default "
                    "seq-hash-notify).", {"type": "string", "enum": ["seq-hash-notify", "seq-notify-hash"]}),
    },
}

defs["ikepolicy"] = {
    "title": "IKE policy",
    "description": "Phase-1 (IKE) negotiation parameters. Fields left out get the server's defaults. "
                   "Merged key by key with defaults.ikepolicy.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "ike_version": prop("IKE version", "IKE protocol version (server default v2).",
                            {"type": "string", "enum": ["v1", "v2"]}),
        "phase1_negotiation_mode": prop("Phase-1 negotiation mode", "Negotiation mode; only meaningful "
                                        "with ike_version v1 (server default main).",
                                        {"type": "string", "enum": ["main", "aggressive"]}),
        "authentication_algorithm": prop("Authentication algorithm", "Hash used to authenticate IKE "
                                         "messages (server default sha2-256; sha1 and md5 are weak).",
                                         {"type": "string", "enum": AUTH_ALGS}),
        "encryption_algorithm": prop("Encryption algorithm", "Cipher for IKE messages (server default "
                                     "aes-128). Support for the GCM variants differs by region.",
                                     {"type": "string", "enum": ENC_ALGS}),
        "dh_group": prop("DH group", "Diffie-Hellman group for the IKE key exchange (server default "
                         "group15; group1, 2, 5 and 14 are weak).", {"type": "string", "enum": DH_GROUPS}),
        "authentication_method": prop("Authentication method", "How the peers authenticate: pre-share "
                                      "(default), or digital-envelope-v2 on GM (SM-crypto) gateways.",
                                      {"type": "string", "enum": ["pre-share", "digital-envelope-v2"]}),
        "lifetime_seconds": prop("SA lifetime", "Lifetime of the IKE SA in seconds, 60-604800 (server "
                                 "default 86400).", {"type": "integer", "minimum": 60, "maximum": 604800}),
        "local_id_type": prop("Local ID type", "How the gateway identifies itself: ip (default) or fqdn.",
                              {"type": "string", "enum": ["ip", "fqdn"]}),
        "local_id": prop("Local ID", "The gateway's identity; an IPv4 address when local_id_type is ip. "
                         "If omitted the server uses the gateway IP. At most 255 characters.",
                         {"type": "string", "minLength": 1, "maxLength": 255}),
        "peer_id_type": prop("Peer ID type", "How the customer gateway identifies itself: ip (default) "
                             "or fqdn.", {"type": "string", "enum": ["ip", "fqdn"]}),
        "peer_id": prop("Peer ID", "The customer gateway's identity; an IPv4 address when peer_id_type "
                        "is ip. If omitted the server uses the customer gateway IP. At most 255 characters.",
                        {"type": "string", "minLength": 1, "maxLength": 255}),
        "dpd": prop("Dead peer detection", "DPD settings; merged key by key with defaults.", ref("dpd")),
    },
}

defs["ipsecpolicy"] = {
    "title": "IPsec policy",
    "description": "Phase-2 (IPsec) negotiation parameters. Fields left out get the server's defaults. "
                   "Merged key by key with defaults.ipsecpolicy.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "authentication_algorithm": prop("Authentication algorithm", "Hash used to authenticate IPsec "
                                         "packets (server default sha2-256; sha1 and md5 are weak).",
                                         {"type": "string", "enum": AUTH_ALGS}),
        "encryption_algorithm": prop("Encryption algorithm", "Cipher for IPsec traffic (server default "
                                     "aes-128). Support for the GCM variants differs by region.",
                                     {"type": "string", "enum": ENC_ALGS}),
        "pfs": prop("Perfect forward secrecy", "DH group used for PFS, or disable. The server default "
                    "differs between documents (group15 or group14), so set it explicitly.",
                    {"type": "string", "enum": DH_GROUPS + ["disable"]}),
        "transform_protocol": prop("Transform protocol", "Security protocol; only esp is supported.",
                                   {"type": "string", "enum": ["esp"]}),
        "lifetime_seconds": prop("SA lifetime", "Lifetime of the IPsec SA in seconds, 30-604800 (server "
                                 "default 3600).", {"type": "integer", "minimum": 30, "maximum": 604800}),
        "encapsulation_mode": prop("Encapsulation mode", "Packet encapsulation; only tunnel is supported.",
                                   {"type": "string", "enum": ["tunnel"]}),
    },
}

defs["policy_rule"] = {
    "title": "Policy rule",
    "description": "One rule of a policy-based connection: traffic from source to any destination is "
                   "protected. Sources must be unique across a connection's rules (checked by vpnform). "
                   "rule_index is deprecated by the API and not accepted.",
    "type": "object",
    "additionalProperties": False,
    "required": ["source", "destination"],
    "properties": {
        "source": prop("Source", "Local (cloud side) IPv4 CIDR.", ref("ipv4_cidr")),
        "destination": prop("Destinations", "Peer (customer side) IPv4 CIDRs, 1-50.",
                            {"type": "array", "minItems": 1, "maxItems": 50, "items": ref("ipv4_cidr")}),
    },
}

defs["tunnel"] = {
    "title": "Tunnel",
    "description": "Settings for the connection created on one gateway IP; tunnels[i] belongs to ips[i].",
    "type": "object",
    "additionalProperties": False,
    "properties": from_table({
        "name": prop("API connection name", "Name sent to the API for this connection, instead of the "
                     "derived GATEWAY-CONNECTION-N; 1-64 of A-Z a-z 0-9 _ . -, unique within the gateway.",
                     ref("handle")),
        "tunnel_local_address": prop("Tunnel local address", "Cloud-side tunnel interface address "
                                     "(route-based styles static and bgp only).", ref("tunnel_address")),
        "tunnel_peer_address": prop("Tunnel peer address", "Customer-side tunnel interface address, the "
                                    "other host of the same /30.", ref("tunnel_address")),
        "ha_role": prop("HA role", "master for the connection on the active gateway IP, slave for the "
                        "standby one (active-standby gateways).", {"type": "string", "enum": ["master", "slave"]}),
    }, "tunnel"),
}

conn_props = from_table({
    "name": prop("Connection name", "Local handle of the connection: 1-64 of A-Z a-z 0-9 _ . -, unique "
                 "within its gateway. The pair's address is GATEWAY/CONNECTION and the API names default "
                 "to GATEWAY-CONNECTION-N (at most 64 characters).", ref("handle")),
    "cgw_id": prop("Customer gateway", "cgw_id: UUID of the customer gateway (the on-premises device). "
                   "Required, here or in defaults.", ref("uuid")),
    "style": prop("Connection style", "Routing mode: static (static routes, the default), bgp (BGP "
                  "routes) or policy (policy rules).", {"type": "string", "enum": ["static", "bgp", "policy"]}),
    "peer_subnets": prop("Customer subnets", "IPv4 CIDRs of the customer-side networks, 1-50, no "
                         "duplicates. Required for style static.",
                         {"type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": True,
                          "items": ref("ipv4_cidr")}),
    "tunnel_local_address": prop("Tunnel local address", "Cloud-side tunnel interface address (styles "
                                 "static and bgp only); the server assigns one when omitted.",
                                 ref("tunnel_address")),
    "tunnel_peer_address": prop("Tunnel peer address", "Customer-side tunnel interface address, the other "
                                "host of the same /30 (styles static and bgp only).", ref("tunnel_address")),
    "enable_nqa": prop("Enable NQA", "Network quality analysis of the tunnel. Only with style static: the "
                       "API rejects the field, even false, for other styles.", {"type": "boolean"}),
    "enable_hub": prop("Enable hub", "Branch interconnection (hub) through this gateway. Only with style "
                       "bgp.", {"type": "boolean"}),
    "psk": prop("Pre-shared key", "Pre-shared key. Required, here or in defaults.", ref("psk")),
    "policy_rules": prop("Policy rules", "Rules of a policy-based connection, 1-5. Required with style "
                         "policy and not allowed otherwise.",
                         {"type": "array", "minItems": 1, "maxItems": 5, "items": ref("policy_rule")}),
    "ikepolicy": prop("IKE policy", "Phase-1 parameters; merged key by key with defaults.", ref("ikepolicy")),
    "ipsecpolicy": prop("IPsec policy", "Phase-2 parameters; merged key by key with defaults.",
                        ref("ipsecpolicy")),
    "ha_role": prop("HA role", "master (default) or slave. Applies to the connections on every gateway IP "
                    "unless a tunnels entry sets its own.", {"type": "string", "enum": ["master", "slave"]}),
    "tags": prop("Tags", "Tags of the connection, a map of key to value. Replaces (does not merge with) "
                 "defaults.tags.", ref("tags")),
    "tunnels": prop("Tunnels", "Per-IP settings, one entry per gateway IP in the order of ips: API name, "
                    "tunnel addresses, HA role.",
                    {"type": "array", "minItems": 1, "maxItems": 2, "items": ref("tunnel")}),
    "prevent_destroy": prop("Prevent destroy", "true: a plan that deletes or replaces this pair is an error "
                            "(remove the flag first). Not a defaults field.", {"type": "boolean"}),
}, "connection")
defs["connection"] = {
    "title": "Connection",
    "description": "A VPN connection to one customer gateway. vpnform creates one API connection per "
                   "gateway IP (a pair), in a single batch-create call.",
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": conn_props,
}
defs["defaults"] = {
    "title": "Defaults",
    "description": "Any connection field except name and tunnels, applied to every connection. A "
                   "connection's own value wins; ikepolicy, ipsecpolicy and ikepolicy.dpd merge key by key.",
    "type": "object",
    "additionalProperties": False,
    "properties": {k: {"$ref": f"#/$defs/connection/properties/{k}"}
                   for k in from_table(conn_props, "defaults", subset=True)},
}


def ips_count(n):
    return {"required": ["ips"], "properties": {"ips": {"type": "array", "minItems": n, "maxItems": n}}}


def conn_tunnels(n):
    return {"properties": {"connections": {"items": {"properties": {"tunnels": {"minItems": n, "maxItems": n}}}}}}


defs["gateway"] = {
    "title": "VPN gateway",
    "description": "An existing VPN gateway and the connections vpnform manages on it.",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "id", "ips"],
    "properties": {
        "name": prop("Gateway name", "Local handle: 1-64 of A-Z a-z 0-9 _ . -, unique in the file. Prefix of "
                     "pair addresses and derived API names.", ref("handle")),
        "id": prop("Gateway id", "vgw_id: UUID of the VPN gateway.", ref("uuid")),
        "ips": prop("Gateway IPs", "vgw_ip values: the EIP ids (UUIDs) of a public gateway or the access "
                    "private IPv4 addresses of a private gateway; 1 or 2, distinct. One connection is "
                    "created per IP.",
                    {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": True,
                     "items": {"anyOf": [ref("uuid"), ref("ipv4_address")]}}),
        "connections": prop("Connections", "The connections on this gateway.",
                            {"type": "array", "items": ref("connection")}),
        "prevent_destroy": prop("Prevent destroy", "true: a plan that deletes or replaces any pair of this "
                                "gateway is an error.", {"type": "boolean"}),
    },
    "allOf": [
        {"$comment": "tunnels has one entry per gateway IP.",
         "if": ips_count(1), "then": conn_tunnels(1)},
        {"if": ips_count(2), "then": conn_tunnels(2)},
    ],
}

# ---------- cross-field rules that need defaults (merged view) ----------


def each_connection(s):
    return {"properties": {"gateways": {"items": {"properties": {"connections": {"items": s}}}}}}


def each_gateway(s):
    return {"properties": {"gateways": {"items": s}}}


def defaults_has(field, extra=None):
    inner = {"required": [field]}
    if extra:
        inner["properties"] = {field: extra}
    return {"required": ["defaults"], "properties": {"defaults": inner}}


def style_is(x, d):
    """The connection's effective style is x when defaults.style (or the built-in static) is d."""
    s = {"properties": {"style": {"const": x}}}
    if x != d:
        s["required"] = ["style"]
    return s


def default_style_is(d):
    if d == "static":
        return {"properties": {"defaults": {"properties": {"style": {"const": "static"}}}}}
    return {"required": ["defaults"],
            "properties": {"defaults": {"required": ["style"], "properties": {"style": {"const": d}}}}}


has_tunnel_address = {"anyOf": [
    {"required": ["tunnel_local_address"]},
    {"required": ["tunnel_peer_address"]},
    {"required": ["tunnels"], "properties": {"tunnels": {"type": "array", "contains": {
        "anyOf": [{"required": ["tunnel_local_address"]}, {"required": ["tunnel_peer_address"]}]}}}},
]}
defaults_has_tunnel_address = {"anyOf": [defaults_has("tunnel_local_address"), defaults_has("tunnel_peer_address")]}

for d in ["static", "bgp", "policy"]:
    defs[f"style_rules_default_{d}"] = {
        "$comment": f"Cross-field rules on each connection's effective style, when defaults.style is {d}"
                    + (" or absent" if d == "static" else "")
                    + ". A field set in defaults counts as set on every connection.",
        "allOf": [
            each_connection({"allOf": [
                {"$comment": "enable_nqa only with style static.",
                 "if": {"required": ["enable_nqa"]}, "then": style_is("static", d)},
                {"$comment": "enable_hub only with style bgp.",
                 "if": {"required": ["enable_hub"]}, "then": style_is("bgp", d)},
                {"$comment": "policy_rules only with style policy.",
                 "if": {"required": ["policy_rules"]}, "then": style_is("policy", d)},
                {"$comment": "Tunnel addresses only with styles static and bgp.",
                 "if": has_tunnel_address, "then": {"not": style_is("policy", d)}},
            ]}),
            {"if": defaults_has("enable_nqa"), "then": each_connection(style_is("static", d))},
            {"if": defaults_has("enable_hub"), "then": each_connection(style_is("bgp", d))},
            {"if": defaults_has("policy_rules"), "then": each_connection(style_is("policy", d))},
            {"$comment": "policy_rules is required with style policy.",
             "if": {"not": defaults_has("policy_rules")},
             "then": each_connection({"if": style_is("policy", d), "then": {"required": ["policy_rules"]}})},
            {"if": defaults_has_tunnel_address, "then": each_connection({"not": style_is("policy", d)})},
            {"$comment": "peer_subnets is required with style static.",
             "if": {"not": defaults_has("peer_subnets")},
             "then": each_connection({"if": style_is("static", d), "then": {"required": ["peer_subnets"]}})},
        ],
    }

top_rules = [
    {"$comment": "region is required unless endpoint is given.",
     "anyOf": [{"required": ["region"]}, {"required": ["endpoint"]}]},
]
for d in ["static", "bgp", "policy"]:
    top_rules.append({"$comment": f"Style rules when defaults.style is {d}"
                      + (" or absent (the built-in default)" if d == "static" else "") + ".",
                      "if": default_style_is(d), "then": ref(f"style_rules_default_{d}")})
for field in ["cgw_id", "psk"]:
    top_rules.append({"$comment": f"{field} is required on each connection unless defaults sets it.",
                      "if": {"not": defaults_has(field)},
                      "then": each_connection({"required": [field]})})


def defaults_ike(s):
    return {"required": ["defaults"], "properties": {"defaults": {"required": ["ikepolicy"],
            "properties": {"ikepolicy": s}}}}


def conn_ike(s):
    return {"required": ["ikepolicy"], "properties": {"ikepolicy": s}}


id_rules = []
for f, t in [("local_id", "local_id_type"), ("peer_id", "peer_id_type")]:
    not_ipv4 = {"required": [f], "properties": {f: {"not": ref("ipv4_address")}}}
    default_type_ip = {"properties": {"defaults": {"properties": {"ikepolicy": {"properties": {
        t: {"const": "ip"}}}}}}}  # also true when defaults does not set the type
    id_rules += [
        {"$comment": f"The connection's own {f} with its own {t} ip.",
         "allOf": [each_connection({"properties": {"ikepolicy": {
             "if": {"required": [t], "properties": {t: {"const": "ip"}}},
             "then": {"properties": {f: ref("ipv4_address")}}}}})]},
        {"$comment": f"The connection's own {f} with {t} ip from defaults or by default.",
         "if": default_type_ip,
         "then": each_connection({"properties": {"ikepolicy": {
             "if": {"not": {"required": [t]}}, "then": {"properties": {f: ref("ipv4_address")}}}}})},
        {"$comment": f"{f} from defaults that is not an IPv4 address: a connection that inherits it must "
                     f"make {t} fqdn.",
         "if": {"allOf": [defaults_ike(not_ipv4), default_type_ip]},
         "then": each_connection({"if": {"not": conn_ike({"required": [f]})},
                                  "then": conn_ike({"required": [t], "properties": {t: {"const": "fqdn"}}})})},
        {"if": {"allOf": [defaults_ike(not_ipv4), {"not": default_type_ip}]},
         "then": each_connection({"if": {"not": conn_ike({"required": [f]})},
                                  "then": {"properties": {"ikepolicy": {"properties": {t: {"const": "fqdn"}}}}}})},
    ]
top_rules.append({
    "$comment": "ikepolicy local_id and peer_id must be IPv4 addresses when their type is ip (the default), "
                "after merging the connection's ikepolicy over defaults.ikepolicy.",
    "allOf": id_rules,
})

L, P = "tunnel_local_address", "tunnel_peer_address"
tunnels_nonempty = {"required": ["tunnels"], "properties": {"tunnels": {"type": "array", "minItems": 1}}}


def items_require(key):
    return {"properties": {"tunnels": {"items": {"required": [key]}}}}


pair_together = {"dependentRequired": {L: [P], P: [L]}}
top_rules.append({
    "$comment": "tunnel_local_address and tunnel_peer_address go together on the connection made on each "
                "gateway IP; a tunnels entry's value wins over the connection's, which wins over defaults.",
    "allOf": [
        {"if": {"not": {"anyOf": [defaults_has(L), defaults_has(P)]}},
         "then": each_connection({"allOf": [
             {"if": {"not": tunnels_nonempty}, "then": pair_together},
             {"if": tunnels_nonempty, "then": {"allOf": [
                 {"if": {"required": [L], "not": {"required": [P]}}, "then": items_require(P)},
                 {"if": {"required": [P], "not": {"required": [L]}}, "then": items_require(L)},
                 {"if": {"not": {"anyOf": [{"required": [L]}, {"required": [P]}]}},
                  "then": {"properties": {"tunnels": {"items": pair_together}}}},
             ]}},
         ]})},
        {"if": {"allOf": [defaults_has(L), {"not": defaults_has(P)}]},
         "then": each_connection({"anyOf": [{"required": [P]}, {"allOf": [tunnels_nonempty, items_require(P)]}]})},
        {"if": {"allOf": [defaults_has(P), {"not": defaults_has(L)}]},
         "then": each_connection({"anyOf": [{"required": [L]}, {"allOf": [tunnels_nonempty, items_require(L)]}]})},
    ],
})

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://vpnform.invalid/schemas/vpnform.schema.json",
    "title": "vpnform desired state",
    "description": "The desired-state file of vpnform (vpnform.yaml): Huawei Cloud site-to-site VPN "
                   "connections to create through POST /v5/{project_id}/vpn-connections/batch-create. Keys "
                   "mirror the API's field names. Rules this schema cannot express (duplicates across "
                   "entries, derived API names, tunnel /30 pairs) are checked by `vpnform validate`.",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "gateways"],
    "properties": {
        "version": prop("Format version", "Version of this file format; must be 1.",
                        {"type": "integer", "const": 1}),
        "project_id": prop("Project id", "Huawei Cloud project id (32 hexadecimal characters). If omitted, "
                           "taken from HUAWEICLOUD_SDK_PROJECT_ID.",
                           {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"}),
        "region": prop("Region", "Huawei Cloud region, e.g. cn-north-4; the endpoint is "
                       "https://vpn.REGION.myhuaweicloud.com. Required unless endpoint is given.",
                       {"type": "string", "pattern": "^[a-z]+(-[a-z]+)+-[0-9]+$"}),
        "endpoint": prop("Endpoint", "Overrides the endpoint derived from region: an https URL, or http "
                         "to a loopback host (localhost, 127.0.0.0/8, [::1]); a base URL without path or "
                         "query, e.g. https://vpn.cn-north-4.myhuaweicloud.com.",
                         {"type": "string", "format": "uri",
                          "pattern": ENDPOINT}),
        "defaults": prop("Defaults", "Any connection field except name and tunnels, applied to every connection; a "
                         "connection's own value wins, and ikepolicy, ipsecpolicy and dpd merge key by key.",
                         ref("defaults")),
        "gateways": prop("Gateways", "The VPN gateways whose connections vpnform manages (may be empty).",
                         {"type": "array", "items": ref("gateway")}),
        "moved": prop("Moved", "Renames, applied to the state before planning (like Terraform's moved blocks): a "
                      "pair address GATEWAY/CONNECTION or a gateway name moves to a new one, never a replace. "
                      "An entry whose new name is taken already is skipped, so entries can stay.",
                      {"type": "array", "items": {
                          "type": "object", "additionalProperties": False, "required": ["from", "to"],
                          "properties": {"from": {"type": "string", "minLength": 1},
                                         "to": {"type": "string", "minLength": 1}}}}),
    },
    "allOf": top_rules,
    "$defs": defs,
}

out = Path(sys.argv[1])
out.parent.mkdir(parents=True, exist_ok=True)
def render(value, indent=0, width=110):
    """JSON with 2-space indentation, keeping any value that fits on one line on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, (dict, list)) or not value or indent + len(flat) <= width:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + render(v, indent + 2, width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    items = []
    for k, v in value.items():
        key = json.dumps(k, ensure_ascii=False) + ": "
        items.append(pad + key + render(v, indent + 2, width))
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


text = render(schema) + "\n"
assert json.loads(text) == schema
out.write_text(text, encoding="utf-8")
print(f"wrote {out} ({out.stat().st_size} bytes)")
