// @peculiar/x509 resolves its extension and crypto registries through tsyringe, which needs the
// reflect-metadata polyfill loaded before the library's first use; importing x509 from here keeps
// that ordering in one place.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
