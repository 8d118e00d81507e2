// Whether a request comes from this machine: the socket's own address, never X-Forwarded-For
// (which anyone can send), and a request that came through a proxy never counts as local.
import type { Request } from "express";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export const isLocalRequest = (req: Request): boolean =>
  LOOPBACK.test(req.socket.remoteAddress ?? "") && req.header("x-forwarded-for") === undefined;

/** The bearer token of the Authorization header, if any. */
export const bearerToken = (req: Request): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.header("authorization") ?? "")?.[1];
