import { AsyncLocalStorage } from "node:async_hooks";
import type { AuthenticatedUser } from "./token-authority.js";

/** Who made the request being served: set by the router, read where the request's user matters (admission). */
export const requestUser = new AsyncLocalStorage<AuthenticatedUser>();
