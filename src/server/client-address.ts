// Who is asking: whether a request comes from this machine (the socket's own address, never
// X-Forwarded-For, which anyone can send; a proxied request never counts as local), its bearer
// token, and secrets compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Request } from "express";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export const isLocalRequest = (req: Request): boolean =>
  LOOPBACK.test(req.socket.remoteAddress ?? "") && req.header("x-forwarded-for") === undefined;

/** The bearer token of the Authorization header, if any. */
export const bearerToken = (req: Request): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.header("authorization") ?? "")?.[1];

const digest = (s: string) => createHash("sha256").update(s).digest();

/** The given value equals the secret, compared in constant time (and of any length). */
export const sameSecret = (given: string | undefined, secret: string | undefined): boolean =>
  given !== undefined && secret !== undefined && timingSafeEqual(digest(given), digest(secret));
