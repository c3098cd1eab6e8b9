"""A small local stand-in for a remote signing CA (VNPT SmartCA's gateway shape), for tests and the demo.

It holds a private key per `user_id` and plays the holder's phone: a request is confirmed after a delay,
refused, or never answered (the caller times out), as each user is configured. Run it in a thread:

    server = ReferenceCA(); server.add_user("079...", key, behaviour="confirm", delay=0.3)
    with server.running() as base_url: ...

or from the command line for the demo: `python -m qlvb.signing.remote_reference --port 8769` (it then
signs with the keys of the demo CA's remote-signing users, given as PKCS#12 files).
"""

import base64
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

CONFIRM, REFUSE, IGNORE = "confirm", "refuse", "ignore"


@dataclass
class _User:
    key: object
    behaviour: str = CONFIRM
    delay: float = 0.2


@dataclass
class _Request:
    user_id: str
    data_hash: bytes
    doc_id: str
    at: float = field(default_factory=time.monotonic)


class ReferenceCA:
    def __init__(self, sp_id: str = "qlvb-test", sp_password: str = "reference"):  # noqa: S107 (a test stand-in)
        self.sp_id, self.sp_password = sp_id, sp_password
        self.users: dict[str, _User] = {}
        self.requests: dict[str, _Request] = {}
        self.lock = threading.Lock()

    def add_user(self, user_id: str, key, *, behaviour: str = CONFIRM, delay: float = 0.2) -> None:
        self.users[user_id] = _User(key, behaviour, delay)

    # --- the CA's side of each call --------------------------------------------------------------
    def handle(self, path: str, body: dict) -> dict:
        if body.get("sp_id") != self.sp_id or body.get("sp_password") != self.sp_password:
            return {"status_code": 401, "message": "SP_CREDENTIAL_INVALID"}
        if path == "/v1/signatures/sign":
            return self._sign(body)
        if path.startswith("/v1/signatures/sign/") and path.endswith("/status"):
            return self._status(path.split("/")[4])
        return {"status_code": 400, "message": "BAD_REQUEST"}

    def _sign(self, body: dict) -> dict:
        files = body.get("sign_files") or []
        if body.get("user_id") not in self.users or len(files) != 1 or files[0].get("sign_type") != "hash":
            return {"status_code": 400, "message": "BAD_REQUEST"}
        transaction_id = body["transaction_id"]
        with self.lock:
            self.requests[transaction_id] = _Request(body["user_id"], bytes.fromhex(files[0]["data_to_be_signed"]),
                                                     files[0].get("doc_id", ""))
        return {"status_code": 200, "message": "sig_wait_for_user_confirm",
                "data": {"transaction_id": transaction_id, "tran_code": f"TC-{transaction_id[:8]}"}}

    def _status(self, transaction_id: str) -> dict:
        with self.lock:
            request = self.requests.get(transaction_id)
        if request is None:
            return {"status_code": 404, "message": "TRANSACTION_NOT_FOUND"}
        user = self.users[request.user_id]
        waiting = {"status_code": 200, "message": "sig_wait_for_user_confirm", "data": {"signatures": None}}
        if user.behaviour == IGNORE or time.monotonic() - request.at < user.delay:
            return waiting
        if user.behaviour == REFUSE:
            return {"status_code": 4002, "message": "REJECTED", "data": {"signatures": None}}
        value = user.key.sign(request.data_hash, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        return {"status_code": 200, "message": "SUCCESS", "data": {"signatures": [
            {"doc_id": request.doc_id, "signature_value": base64.b64encode(value).decode(),
             "timestamp_signature": None}]}}

    # --- HTTP ----------------------------------------------------------------------------------
    def _handler(self):
        ca = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                answer = json.dumps(ca.handle(self.path, body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        return Handler

    @contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0):
        """Serve in a background thread; yields the base URL."""
        server = ThreadingHTTPServer((host, port), self._handler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def main(argv=None):
    import argparse

    from cryptography.hazmat.primitives.serialization import pkcs12

    parser = argparse.ArgumentParser(description="Reference remote-signing CA (SmartCA-shaped) for the demo.")
    parser.add_argument("--port", type=int, default=8769)
    parser.add_argument("--user", nargs=3, action="append", default=[], metavar=("USER_ID", "P12", "PASSWORD"))
    parser.add_argument("--delay", type=float, default=3.0)
    args = parser.parse_args(argv)
    ca = ReferenceCA()
    for user_id, path, password in args.user:
        with open(path, "rb") as handle:
            key, _cert, _chain = pkcs12.load_key_and_certificates(handle.read(), password.encode())
        ca.add_user(user_id, key, delay=args.delay)
    with ca.running(port=args.port) as url:
        print(f"Reference CA at {url} (sp_id={ca.sp_id}); Ctrl+C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
