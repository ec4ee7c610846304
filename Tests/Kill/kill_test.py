#!/usr/bin/env python3
"""Kill test: `vpnform apply` on 500 pairs against a standalone emulator (--data FILE) is killed
with SIGKILL at random moments, restarted, and killed again, at least 20 times; then it is let
finish. Between some kills the journal is deleted (a CI runner that loses what was not committed),
and between others the state file too (a lost state): apply adopts what exists by name before
creating anything. Afterwards the state must match the emulator exactly, with no duplicate
connection.

Then a mixed plan over the same estate (updates in place, tag changes, replaces, deletes and
creates: well over 200 pairs) is applied the same way, killed at least 20 times, the journal lost
between some kills (never the state: a pair deleted from the file and from a lost state could not
be known any more). At the end the emulator holds exactly the desired file: every connection
once, none deleted that is still desired, the state equal to the emulator, and plans show nothing.

Usage: kill_test.py [VPNFORM_BINARY] [BENCH_BINARY]   (defaults: .build/debug/vpnform, .build/debug/vpnform-bench)
Bounded: at most 60 rounds, and every wait has a timeout. Prints `N passed, N failed` last.
"""
import json, os, random, shutil, signal, subprocess, sys, tempfile, time

vpnform = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/vpnform")
bench = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".build/debug/vpnform-bench")
work = tempfile.mkdtemp(prefix="vpnform-kill-")
rng = random.Random(20261127)
AK, SK = "KILLTESTACCESSKEY01", "kill-test-secret-key-0123456789"
PSKS = {f"PSK_SITE{i}": f"Kill-Canary-{i}-Xy" for i in range(50)}
checks = {"passed": 0, "failed": 0}
# Enough work (500 pairs × 50 ms ÷ 4 in flight ≈ 6 s) that 20 kills land mid-apply: a faster apply
# must not finish the whole job before the kills are done.
PAIRS = 500


def check(ok, what):
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)


def main():
    subprocess.run([bench, "generate", str(PAIRS), work, "--desired-only"], check=True, stdout=subprocess.DEVNULL, timeout=120)
    desired = os.path.join(work, f"estate-{PAIRS}.yaml")
    state = os.path.join(work, f"estate-{PAIRS}.state.json")
    data = os.path.join(work, "emulator.json")
    env = dict(os.environ, HUAWEICLOUD_SDK_AK=AK, HUAWEICLOUD_SDK_SK=SK, **PSKS)
    emu = subprocess.Popen([vpnform, "emulator", "--data", data, "--latency", "50", "--gateways-from", desired], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = emu.stdout.readline()
        endpoint = line.strip().split()[-1]
        check(endpoint.startswith("http://127.0.0.1:"), f"emulator up at {endpoint}")
        apply = [vpnform, "apply", "-f", desired, "--endpoint", endpoint, "--auto-approve", "--parallelism", "4", "--quiet"]
        outputs = []
        kills, rounds, final, lost_journals, lost_states = kill_loop(apply, env, state, outputs, lose_states=True)
        check(kills >= 20, f"killed apply {kills} times with SIGKILL")
        check(lost_journals >= 2 and lost_states >= 2,
              f"deleted the journal {lost_journals} times and the whole state {lost_states} times between kills")
        check(final == 0, f"the last apply completed (exit {final}) after {rounds} rounds")
        verify(desired, state, data, endpoint, env, outputs, PAIRS)

        # Phase 2: a mixed plan, killed again.
        expected = mutate(desired)
        outputs = []
        plan = subprocess.run([vpnform, "plan", "-f", desired, "--json"], env=env, capture_output=True, text=True, timeout=60)
        actions = {}
        for e in json.loads(plan.stdout)["pairs"]:
            actions[e["action"]] = actions.get(e["action"], 0) + 1
        changed = sum(n for a, n in actions.items() if a != "no-op")
        check(changed >= 200 and all(actions.get(a, 0) >= 10 for a in ("create", "update", "replace", "delete")),
              f"the mixed plan changes {changed} pairs: {actions}")
        kills, rounds, final, lost_journals, _ = kill_loop(apply, env, state, outputs, lose_states=False)
        check(kills >= 20, f"killed the mixed apply {kills} times with SIGKILL")
        check(lost_journals >= 2, f"deleted the journal {lost_journals} times between kills")
        check(final == 0, f"the last mixed apply completed (exit {final}) after {rounds} rounds")
        verify(desired, state, data, endpoint, env, outputs, expected)
    finally:
        emu.send_signal(signal.SIGTERM)
        try:
            emu.wait(timeout=10)
        except subprocess.TimeoutExpired:
            emu.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks['passed']} passed, {checks['failed']} failed")
    return 1 if checks["failed"] else 0


def mutate(desired):
    """Rewrites the desired file into a mixed plan; returns the number of pairs it then holds."""
    with open(desired) as f:
        text = f.read()
    head, _, rest = text.partition("gateways:\n")
    gateways = rest.split("\n  - name: ")
    out, pairs = [], 0
    k = 0
    for g_index, g in enumerate(gateways):
        parts = g.split("\n      - name: ")
        kept, extra = [parts[0]], []
        for block in parts[1:]:
            k += 1
            case = k % 20
            if case in (5, 15):
                continue  # deleted: 10 %
            if case in (1, 2, 3, 6, 7, 8):
                block = block.replace("peer_subnets: [", f"peer_subnets: [192.168.{k % 250}.0/24, ", 1)
            if case in (9, 10):
                block = block.replace(", tier: t", ", tier: u", 1)
            if case in (4, 14) and "ikepolicy:" not in block:
                block = block.replace("\n        psk:", "\n        ikepolicy: {authentication_method: pre-share}\n        psk:", 1)
            if case in (0, 11) and "tunnels:" not in block:
                name = block.split("\n", 1)[0]
                extra.append(block.replace(name, "new" + name, 1).replace("peer_subnets: [", "peer_subnets: [192.169.0.0/24, ", 1))
            kept.append(block)
        kept += extra
        pairs += len(kept) - 1
        out.append("\n      - name: ".join(kept))
    with open(desired, "w") as f:
        f.write(head + "gateways:\n" + "\n  - name: ".join(out))
    return pairs


def kill_loop(apply, env, state, outputs, lose_states):
    """Starts apply, kills it at a random moment (20 times), then lets it finish."""
    kills, rounds, final = 0, 0, None
    lost_journals, lost_states = 0, 0
    while rounds < 60:
            rounds += 1
            p = subprocess.Popen(apply, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if kills < 20:
                # apply first reads every gateway and its connections (a few hundred ms here), then creates.
                time.sleep(rng.uniform(0.3, 1.0))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    kills += 1
                out, err = p.communicate(timeout=30)
                outputs += [out, err]
                # A killed run leaves its lock behind; it is stale, and force-unlock removes it.
                if os.path.exists(state + ".lock"):
                    subprocess.run([vpnform, "force-unlock", "--state", state], stdout=subprocess.DEVNULL, timeout=30)
                # What a fresh CI checkout sees: no journal (it was never committed), or no state at all.
                if kills % 3 == 1 and os.path.exists(state + ".journal"):
                    os.remove(state + ".journal")
                    lost_journals += 1
                if lose_states and kills % 6 == 3:
                    for path in (state, state + ".journal"):
                        if os.path.exists(path):
                            os.remove(path)
                    lost_states += 1
                continue
            out, err = p.communicate(timeout=300)
            outputs += [out, err]
            final = p.returncode
            if final == 0:
                break
            print(f"apply exited {final}: {err.strip().splitlines()[-1:]}", flush=True)
    return kills, rounds, final, lost_journals, lost_states


def verify(desired, state, data, endpoint, env, outputs, pairs):
    """The state equals the emulator, which holds exactly the desired pairs, and plans show nothing."""
    if True:
        with open(state) as f:
            st = json.load(f)
        with open(data) as f:
            emulated = [c["connection"] for c in json.load(f)["connections"]]
        recorded = [c for pair in st["pairs"].values() for c in pair["connections"]]
        check(all(p["status"] == "created" for p in st["pairs"].values()), "every pair in the state is created")
        check(len(st["pairs"]) == pairs, f"the state has all {pairs} pairs ({len(st['pairs'])})")
        wanted = set()
        for address, pair in st["pairs"].items():
            for c in pair["connections"]:
                wanted.add((c["vgw_ip"], c["name"]))
        check(len(emulated) == 2 * pairs and {(c["vgw_ip"], c["name"]) for c in emulated} == wanted,
              f"the emulator holds exactly the desired connections ({len(emulated)} for {pairs} pairs)")
        names = [(c["vgw_ip"], c["name"]) for c in emulated]
        check(len(names) == len(set(names)), f"no duplicate connection on the emulator ({len(names)} connections)")
        check(sorted(c["id"] for c in recorded) == sorted(c["id"] for c in emulated),
              f"state ids == emulator ids ({len(recorded)} recorded, {len(emulated)} on the emulator)")
        plan = subprocess.run([vpnform, "plan", "-f", desired, "--detailed-exitcode"], env=env, capture_output=True, text=True, timeout=60)
        check(plan.returncode == 0, "plan afterwards shows no changes")
        refreshed = subprocess.run([vpnform, "plan", "-f", desired, "--refresh", "--endpoint", endpoint, "--detailed-exitcode"],
                                   env=env, capture_output=True, text=True, timeout=120)
        check(refreshed.returncode == 0 and "Changed outside vpnform" not in refreshed.stdout,
              f"plan --refresh afterwards shows no changes and no drift (exit {refreshed.returncode})")
        if refreshed.returncode != 0:
            print(refreshed.stdout[-3000:], refreshed.stderr[-2000:], flush=True)
        everything = "".join(outputs) + open(state).read() + plan.stdout + plan.stderr + refreshed.stdout + refreshed.stderr
        check(not any(v in everything for v in list(PSKS.values()) + [SK]), "no pre-shared key or SK in any output or the state")


if __name__ == "__main__":
    sys.exit(main())
