import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import { sessionStoreContract } from "./contract.js";

sessionStoreContract("memory", async () => new MemorySessionStore());
