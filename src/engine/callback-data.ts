// Strict parsing of button payloads (Telegram callback data, Zalo button payloads, simulator
// taps). Payloads come back from clients and can be forged: anything that is not exactly one
// of the shapes written by keyboards.ts is rejected here, before any lookup, so a handler never
// sees NaN, a number past the database's range or an unknown field name.
import { DATA } from "./keyboards.js";

export const EDITABLE_FIELDS = ["fullName", "birthDate", "phone", "unit", "audience", "extra"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export type Callback =
  | { kind: "consent"; yes: boolean }
  | { kind: "confirm" }
  | { kind: "edit"; field: EditableField }
  | { kind: "menu"; item: "thi" | "ketqua" | "hoso" | "huongdan" | "chungnhan" }
  | { kind: "editProfile" }
  | { kind: "unit"; code: string }
  | { kind: "unitChoose"; code: string }
  | { kind: "unitPage"; parent: string; page: number }
  | { kind: "audience"; code: string }
  /** A further registration field: the option's index, or null to skip an optional one. */
  | { kind: "extra"; choice: number | null }
  | { kind: "answer"; attemptId: string; position: number; shown: number }
  | { kind: "review"; round: number }
  | { kind: "submit" }
  | { kind: "editPrediction" }
  /** A written entry's actions. */
  | { kind: "entry"; action: keyof typeof DATA.entry }
  /** A unit admin's tools (their unit's menu). */
  | { kind: "unitAdmin"; action: keyof typeof DATA.unitAdmin }
  /** Organizer's answer to a broadcast preview (/guitin). */
  | { kind: "broadcast"; confirm: boolean };

const FIXED: Record<string, Callback> = {
  [DATA.consentYes]: { kind: "consent", yes: true },
  [DATA.consentNo]: { kind: "consent", yes: false },
  [DATA.confirm]: { kind: "confirm" },
  [DATA.menuStart]: { kind: "menu", item: "thi" },
  [DATA.menuResults]: { kind: "menu", item: "ketqua" },
  [DATA.menuProfile]: { kind: "menu", item: "hoso" },
  [DATA.menuHelp]: { kind: "menu", item: "huongdan" },
  [DATA.menuCertificates]: { kind: "menu", item: "chungnhan" },
  [DATA.editProfile]: { kind: "editProfile" },
  [DATA.submit]: { kind: "submit" },
  [DATA.editPrediction]: { kind: "editPrediction" },
  [DATA.broadcastConfirm]: { kind: "broadcast", confirm: true },
  [DATA.broadcastCancel]: { kind: "broadcast", confirm: false },
  [DATA.extraSkip]: { kind: "extra", choice: null },
  ...Object.fromEntries(Object.entries(DATA.entry).map(([action, data]) => [data, { kind: "entry", action } as Callback])),
  ...Object.fromEntries(Object.entries(DATA.unitAdmin).map(([action, data]) => [data, { kind: "unitAdmin", action } as Callback])),
};

const CODE = "[A-Za-z0-9_-]{1,32}";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PATTERNS: [RegExp, (m: RegExpExecArray) => Callback | undefined][] = [
  [
    /^cf:e:([A-Za-z]{1,16})$/,
    (m) => ((EDITABLE_FIELDS as readonly string[]).includes(m[1]!) ? { kind: "edit", field: m[1] as EditableField } : undefined),
  ],
  [new RegExp(`^u:(${CODE})$`), (m) => ({ kind: "unit", code: m[1]!.toUpperCase() })],
  [new RegExp(`^us:(${CODE})$`), (m) => ({ kind: "unitChoose", code: m[1]!.toUpperCase() })],
  [new RegExp(`^up:(${CODE}):(\\d{1,4})$`), (m) => ({ kind: "unitPage", parent: m[1]!.toUpperCase(), page: Number(m[2]) })],
  [new RegExp(`^au:(${CODE})$`), (m) => ({ kind: "audience", code: m[1]! })],
  [
    new RegExp(`^a:(${UUID}):(\\d{1,3}):([0-5])$`),
    (m) => ({ kind: "answer", attemptId: m[1]!, position: Number(m[2]), shown: Number(m[3]) }),
  ],
  [/^rv:([1-9]\d{0,3})$/, (m) => ({ kind: "review", round: Number(m[1]) })],
  [/^x:(\d|1[01])$/, (m) => ({ kind: "extra", choice: Number(m[1]) })],
];

/** The callback a payload stands for, or undefined when it is not one this bot writes. */
export function parseCallback(data: string): Callback | undefined {
  if (data.length > 64) return undefined;
  const fixed = FIXED[data];
  if (fixed) return fixed;
  for (const [re, build] of PATTERNS) {
    const m = re.exec(data);
    if (m) return build(m);
  }
  return undefined;
}
