"""SIGINT at apply's approval prompt (a real pseudo-terminal): exit 130 at once, nothing sent, the lock
released. Usage: prompt_interrupt.py VPNFORM_BINARY REPO_ROOT. Run by CLITests/InterruptTests.swift."""
import os, pty, signal, sys, time, shutil, tempfile, select
vpnform = os.path.abspath(sys.argv[1]); repo = os.path.abspath(sys.argv[2])
d = tempfile.mkdtemp()
shutil.copy(os.path.join(repo, "examples/quickstart.yaml"), d)
pid, fd = pty.fork()
if pid == 0:
    os.chdir(d)
    os.execv(vpnform, [vpnform, "apply", "-f", "quickstart.yaml", "--emulator"])
out = b""
deadline = time.time() + 20
while b"Only 'yes' will be accepted" not in out and time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if r:
        try: out += os.read(fd, 4096)
        except OSError: break
os.kill(pid, signal.SIGINT)
# Bounded: a process that does not end within 10 s after the interrupt fails the test.
status = None
for _ in range(100):
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.1)
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    print("the process did not end after SIGINT")
    sys.exit(1)
code = os.waitstatus_to_exitcode(status)
lock = os.path.exists(os.path.join(d, "quickstart.emulator.state.json.lock"))
print(f"prompt={b'yes' in out} exit={code} lock_left={lock}")
state = os.path.exists(os.path.join(d, "quickstart.emulator.state.json"))
shutil.rmtree(d, ignore_errors=True)
sys.exit(0 if code == 130 and not lock and not state and b"yes" in out else 1)
