// The console's request plumbing: the session cookie read into `req.console`, sign-in and
// role guards, and the CSRF check every state-changing request passes (the session's token,
// from a form's hidden `_csrf` field or the X-CSRF-Token header of the console's script).
import { timingSafeEqual } from "node:crypto";
import { parse, serialize } from "cookie";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { type ContestContext, subtreeIdsOfCode } from "../contest/context.js";
import { type ConsoleSessions, SESSION_HOURS, type SignedIn } from "./auth/sessions.js";

declare module "express-serve-static-core" {
  interface Request {
    console?: SignedIn;
  }
}

export const SESSION_COOKIE = "cb_console";

export const cookiesOf = (req: Request): Record<string, string | undefined> => parse(req.header("cookie") ?? "");

/** Cookie attributes: HttpOnly and SameSite always, Secure when the console is served over HTTPS. */
export function sessionCookie(token: string, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, path: "/admin", maxAge: SESSION_HOURS * 3600 });
}

export const clearedSessionCookie = (secure: boolean) =>
  serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure, path: "/admin", maxAge: 0 });

export const loadSession =
  (sessions: ConsoleSessions): RequestHandler =>
  async (req, _res, next) => {
    req.console = await sessions.find(cookiesOf(req)[SESSION_COOKIE], new Date());
    next();
  };

/** Pages need a session: browsers are sent to the sign-in page, scripts get 401. */
export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.console) return next();
  if (req.method === "GET" && !req.path.startsWith("/api/")) return res.redirect(303, "/admin/login");
  res.status(401).json({ error: "sign in first" });
}

/** Organizer-only pages and actions: everyone else gets 403 (not just a hidden button). */
export function requireOrganizer(req: Request, res: Response, next: NextFunction): void {
  if (req.console?.user.role === "ORGANIZER") return next();
  res.status(403).type("text/plain; charset=utf-8").send("Chỉ Ban Tổ chức được dùng chức năng này.");
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Every POST of a signed-in session must carry the session's CSRF token. */
export function checkCsrf(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "POST") return next();
  const given = (req.body as { _csrf?: unknown } | undefined)?._csrf ?? req.header("x-csrf-token");
  if (req.console && typeof given === "string" && same(given, req.console.csrfToken)) return next();
  res.status(403).type("text/plain; charset=utf-8").send("Phiên làm việc không hợp lệ (thiếu mã CSRF). Vui lòng tải lại trang.");
}

/** The unit ids the signed-in person may see: all for organizers, their subtree for unit admins. */
export function visibleUnitIds(req: Request, contest: ContestContext): Set<string> {
  const user = req.console!.user;
  if (user.role === "ORGANIZER") return new Set(contest.units.map((u) => u.id));
  return subtreeIdsOfCode(contest.units, user.unitCode);
}
