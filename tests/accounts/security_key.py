"""A security key in software, for tests: what a browser and a WebAuthn key send to the server when a key is added
(attestation "none", an ES256 key pair of its own) and when it signs in (an assertion signed with that key)."""

import os
from hashlib import sha256
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData, CollectedClientData

ORIGIN = "http://testserver"  # the test client's


class SecurityKey:
    def __init__(self) -> None:
        self._private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self._counter = 0

    def _credential(self, response: dict[str, str]) -> dict[str, Any]:
        encoded = websafe_encode(self.credential_id)
        return {
            "id": encoded,
            "rawId": encoded,
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }

    def created(self, creation_options: dict[str, Any]) -> dict[str, Any]:
        """The new credential, for the page's ``creation_options`` (what ``navigator.credentials.create`` returns)."""
        options = creation_options["publicKey"]
        client_data = CollectedClientData.create(type="webauthn.create", challenge=options["challenge"], origin=ORIGIN)
        attested = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self._private.public_key())
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
        data = AuthenticatorData.create(sha256(options["rp"]["id"].encode()).digest(), flags, self._counter, attested)
        attestation = AttestationObject.create("none", data, {})
        return self._credential(
            {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "attestationObject": websafe_encode(bytes(attestation)),
            }
        )

    def signed(self, request_options: dict[str, Any]) -> dict[str, Any]:
        """An assertion for the page's ``request_options`` (what ``navigator.credentials.get`` returns)."""
        options = request_options["publicKey"]
        client_data = CollectedClientData.create(type="webauthn.get", challenge=options["challenge"], origin=ORIGIN)
        self._counter += 1
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        data = AuthenticatorData.create(sha256(options["rpId"].encode()).digest(), flags, self._counter)
        signature = self._private.sign(bytes(data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "authenticatorData": websafe_encode(bytes(data)),
                "signature": websafe_encode(signature),
            }
        )
