# Runs `age -d -o OUT FILE` under a pseudo-terminal and types the passphrase at its prompt, as a
# person would (age reads passphrases from the terminal only).
import os, pty, sys, time

out, path, passphrase = sys.argv[1], sys.argv[2], sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("age", ["age", "-d", "-o", out, path])
buf = b""
deadline = time.time() + 60
sent = False
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
    if not sent and b"passphrase" in buf.lower():
        os.write(fd, passphrase.encode() + b"\r")
        sent = True
    if time.time() > deadline:
        break
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
