// Texts for Telegram groups tied to a unit.

export const GROUP = {
  groupInvite: (title: string, unitName?: string) =>
    `Cuộc thi «${title}» diễn ra trong tin nhắn riêng với bot.` +
    (unitName ? ` Bấm nút dưới đây để tham gia; bạn sẽ được tính cho đơn vị ${unitName}.` : " Bấm nút dưới đây để tham gia."),
  groupOpenPrivate: "👉 Tham gia cuộc thi",
  groupUnitSet: (unitName: string) => `Đã gắn nhóm này với đơn vị ${unitName}. Người tham gia từ nhóm sẽ được tính cho đơn vị này.`,
  groupUnitUnknown: "Mã đơn vị không đúng. Cú pháp: /donvi <mã đơn vị>, ví dụ: /donvi TDP05.",
  groupUnitForbidden: "Chỉ Ban Tổ chức mới được gắn nhóm với đơn vị.",
} as const;
