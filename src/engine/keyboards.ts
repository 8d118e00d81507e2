// Button layouts and the compact callback-data grammar (ASCII, well under 64 bytes).
import type { Unit } from "../generated/prisma/client.js";
import { BUTTONS } from "../messages/index.js";
import type { Button } from "./types.js";

export const DATA = {
  consentYes: "c:y",
  consentNo: "c:n",
  confirm: "cf:ok",
  edit: (field: string) => `cf:e:${field}`,
  menuStart: "m:thi",
  menuResults: "m:kq",
  menuProfile: "m:hs",
  menuHelp: "m:hd",
  menuCertificates: "m:cn",
  entry: {
    menu: "e:m",
    start: "e:n",
    title: "e:t",
    text: "e:b",
    clear: "e:c",
    files: "e:f",
    author: "e:a",
    submit: "e:s",
    withdraw: "e:w",
    reopen: "e:r",
    done: "e:d",
    essay: "e:q",
  },
  unitAdmin: { menu: "ua:m", standing: "ua:s", links: "ua:l", remind: "ua:r", send: "ua:ok", cancel: "ua:no" },
  editProfile: "hs:e",
  unit: (code: string) => `u:${code}`,
  unitChoose: (code: string) => `us:${code}`,
  unitPage: (parent: string, page: number) => `up:${parent}:${page}`,
  audience: (code: string) => `au:${code}`,
  extraChoice: (index: number) => `x:${index}`,
  extraSkip: "x:s",
  answer: (attemptId: string, position: number, shown: number) => `a:${attemptId}:${position}:${shown}`,
  review: (round: number) => `rv:${round}`,
  submit: "p:ok",
  editPrediction: "p:e",
  broadcastConfirm: "bc:ok",
  broadcastCancel: "bc:no",
} as const;

export const ROOT = "_";
const PAGE_SIZE = 8;

/** The participant's menu; «Giấy chứng nhận» only in a contest that issues certificates. */
export const menuButtons = (contest: { def: { certificates?: object; kind: string } }): Button[][] => [
  ...(contest.def.kind === "written" ? [] : [[{ label: BUTTONS.start, data: DATA.menuStart }]]),
  ...(contest.def.kind === "quiz" ? [] : [[{ label: BUTTONS.entryMenu, data: DATA.entry.menu }]]),
  [
    { label: BUTTONS.results, data: DATA.menuResults },
    { label: BUTTONS.profile, data: DATA.menuProfile },
  ],
  contest.def.certificates
    ? [
        { label: BUTTONS.certificates, data: DATA.menuCertificates },
        { label: BUTTONS.help, data: DATA.menuHelp },
      ]
    : [{ label: BUTTONS.help, data: DATA.menuHelp }],
];

export function unitButtons(units: Unit[], parent: Unit | undefined, page: number): Button[][] {
  const children = units.filter((u) => u.parentId === (parent?.id ?? null));
  const slice = children.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const rows: Button[][] = slice.map((u) => [{ label: u.name, data: DATA.unit(u.code) }]);
  if ((page + 1) * PAGE_SIZE < children.length) {
    rows.push([{ label: BUTTONS.more, data: DATA.unitPage(parent?.code ?? ROOT, page + 1) }]);
  }
  if (parent) {
    rows.push([{ label: BUTTONS.chooseThisUnit, data: DATA.unitChoose(parent.code) }]);
    const grand = units.find((u) => u.id === parent.parentId);
    rows.push([{ label: BUTTONS.back, data: DATA.unitPage(grand?.code ?? ROOT, 0) }]);
  }
  return rows;
}

/** Answer buttons: letters only; the option texts are in the message body. */
export function answerButtons(attemptId: string, position: number, optionCount: number): Button[][] {
  const buttons = Array.from({ length: optionCount }, (_, k) => ({
    label: "ABCDEF"[k]!,
    data: DATA.answer(attemptId, position, k),
  }));
  return optionCount <= 4 ? [buttons] : [buttons.slice(0, 3), buttons.slice(3)];
}
