// Signing in and out of the console, and the first organizer of a fresh install (from this
// machine only). The sign-in form is protected against cross-site posting by a double-submit
// token (a cookie and a hidden field that must match); failed sign-ins are logged and slowed down.
import { randomBytes } from "node:crypto";
import { serialize } from "cookie";
import { type Request, type Response, Router } from "express";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { CONSOLE } from "../messages/console.js";
import { isLocalRequest } from "../server/client-address.js";
import { AccountError, checkPassword, createAccount, PASSWORD_MIN_LENGTH } from "./auth/accounts.js";
import type { ConsoleSessions } from "./auth/sessions.js";
import type { SignInThrottle } from "./auth/throttle.js";
import { html } from "./html.js";
import { checkCsrf, clearedSessionCookie, cookiesOf, requireSignIn, sessionCookie } from "./http.js";
import { notice, page } from "./pages/layout.js";

const FORM_COOKIE = "cb_form";

export interface AuthDeps {
  prisma: PrismaClient;
  sessions: ConsoleSessions;
  throttle: SignInThrottle;
  logger: Logger;
  secure: boolean;
  contest: { title: string; judged: boolean; written: boolean };
  unitCodes: readonly string[];
  audit: (actor: string, action: string, details: object) => Promise<unknown>;
}

export function authRouter(deps: AuthDeps): Router {
  const { prisma, sessions, throttle, logger, secure } = deps;
  const router = Router();

  /** A fresh double-submit token: set as a cookie, returned for the form's hidden field. */
  const formToken = (res: Response) => {
    const token = randomBytes(18).toString("base64url");
    res.append("Set-Cookie", serialize(FORM_COOKIE, token, { httpOnly: true, sameSite: "strict", secure, path: "/admin", maxAge: 3600 }));
    return token;
  };
  const formTokenOk = (req: Request) => {
    const field = (req.body as { _form?: unknown })._form;
    const cookie = cookiesOf(req)[FORM_COOKIE];
    return typeof field === "string" && field.length > 0 && field === cookie;
  };
  const noAccounts = async () => (await prisma.consoleUser.count()) === 0;

  const loginPage = async (req: Request, res: Response, status: number, message?: string) => {
    const empty = await noAccounts();
    const hint = empty
      ? html`<p class="notice">${CONSOLE.noAccountYet} <code>npm run cli -- user:create --login … --name … --role organizer</code>
${isLocalRequest(req) ? html` ${CONSOLE.noAccountLocal} <a href="/admin/setup">/admin/setup</a>` : ""}</p>`
      : "";
    const body = html`${notice(message, "error")}${hint}
<form method="post" action="/admin/login" class="card narrow">
<input type="hidden" name="_form" value="${formToken(res)}">
<label>${CONSOLE.login}<input name="login" autocomplete="username" required maxlength="40"></label>
<label>${CONSOLE.password}<input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
<button>${CONSOLE.signInButton}</button></form>`;
    res
      .status(status)
      .type("html")
      .send(page(req, CONSOLE.signInTitle, deps.contest, body));
  };

  const signIn = async (res: Response, userId: string) => {
    const { token } = await sessions.create(userId, new Date());
    res.append("Set-Cookie", sessionCookie(token, secure));
    res.redirect(303, "/admin");
  };

  router.get("/admin/login", async (req, res) => {
    if (req.console) return res.redirect(303, "/admin");
    await loginPage(req, res, 200);
  });

  router.post("/admin/login", async (req, res) => {
    if (!formTokenOk(req)) return loginPage(req, res, 403, CONSOLE.signInExpired);
    const body = req.body as { login?: unknown; password?: unknown };
    const login = typeof body.login === "string" ? body.login.trim().toLowerCase().slice(0, 40) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 200) : "";
    const address = req.ip ?? "unknown";
    const now = new Date();
    const wait = await throttle.waitSeconds(login, address, now);
    if (wait > 0) {
      logger.warn({ login, address, wait }, "console sign-in refused: too many failures");
      res.setHeader("Retry-After", String(wait));
      return loginPage(req, res, 429, CONSOLE.signInSlowedDown(wait));
    }
    const user = await checkPassword(prisma, login, password);
    if (!user) {
      await throttle.recordFailure(login, address, now);
      logger.warn({ login, address }, "console sign-in failed");
      return loginPage(req, res, 401, CONSOLE.signInFailed);
    }
    await throttle.succeeded(login, now);
    await deps.audit(`${user.name} (${user.login})`, "console.signin", { address });
    await signIn(res, user.id);
  });

  router.post("/admin/logout", requireSignIn, checkCsrf, async (req, res) => {
    await sessions.revoke(req.console!.sessionId, new Date());
    res.append("Set-Cookie", clearedSessionCookie(secure));
    res.redirect(303, "/admin/login");
  });

  // The first organizer, on a fresh install, from this machine only.
  const setupAllowed = async (req: Request) => isLocalRequest(req) && (await noAccounts());
  const setupPage = (req: Request, res: Response, status: number, message?: string) => {
    const body = html`${notice(message, "error")}<form method="post" action="/admin/setup" class="card narrow">
<input type="hidden" name="_form" value="${formToken(res)}">
<label>${CONSOLE.fullName}<input name="name" required maxlength="80"></label>
<label>${CONSOLE.login}<input name="login" required pattern="[a-z0-9._-]{3,40}" maxlength="40"></label>
<label>${CONSOLE.password}<input name="password" type="password" required minlength="${PASSWORD_MIN_LENGTH}" autocomplete="new-password">
<small>${CONSOLE.passwordHint(PASSWORD_MIN_LENGTH)}</small></label>
<button>${CONSOLE.setupButton}</button></form>`;
    res
      .status(status)
      .type("html")
      .send(page(req, CONSOLE.setupTitle, deps.contest, body));
  };
  router.get("/admin/setup", async (req, res) => {
    if (!(await setupAllowed(req))) return void res.status(404).type("text/plain; charset=utf-8").send(CONSOLE.notFound);
    setupPage(req, res, 200);
  });
  router.post("/admin/setup", async (req, res) => {
    if (!(await setupAllowed(req))) return void res.status(404).type("text/plain; charset=utf-8").send(CONSOLE.notFound);
    if (!formTokenOk(req)) return setupPage(req, res, 403, CONSOLE.signInExpired);
    const body = req.body as Record<string, unknown>;
    try {
      const { user } = await createAccount(
        prisma,
        { login: String(body.login ?? ""), name: String(body.name ?? ""), role: "ORGANIZER", password: String(body.password ?? "") },
        deps.unitCodes,
      );
      await deps.audit(`${user.name} (${user.login})`, "console.setup", { login: user.login });
      await signIn(res, user.id);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      setupPage(req, res, 400, error.message);
    }
  });
  return router;
}
