// What the console's routes share: storage, the contest's services, public links, the audit log.
import type { Request, Response } from "express";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { ContestServices } from "../services.js";
import type { Html } from "./html.js";
import { page } from "./pages/layout.js";

export interface ConsoleDeps {
  prisma: PrismaClient;
  services: ContestServices;
  logger: Logger;
  links: { publicUrl?: string; telegramBot?: string; zaloOaId?: string };
  /** Writes who did what to the audit log. */
  audit(req: Request, action: string, details: object): Promise<unknown>;
  /** Sends a full console page. */
  send(req: Request, res: Response, title: string, body: Html, status?: number): void;
}

export function sendPage(contest: { title: string; judged: boolean; written: boolean }): ConsoleDeps["send"] {
  return (req, res, title, body, status = 200) =>
    void res
      .status(status)
      .type("html")
      .send(page(req, title, contest, body));
}

/** Who the signed-in person is, as the audit log records them. */
export const actorOf = (req: Request) => `${req.console!.user.name} (${req.console!.user.login})`;
