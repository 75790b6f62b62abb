import { describe, expect, it } from "vitest";
import { cleanChatText } from "./clean-chat-text.ts";

describe("cleanChatText", () => {
  it("removes mIRC colours with their digits and other formatting codes", () => {
    expect(cleanChatText("\x0304,12red\x03 \x02bold\x02 \x1Ditalic\x0F \x04ff0000hex")).toBe(
      "red bold italic hex",
    );
  });

  it("turns line breaks into spaces so one message cannot inject an IRC command", () => {
    expect(cleanChatText("hi\r\nQUIT :bye\nthere")).toBe("hi QUIT :bye there");
  });

  it("drops NUL, DEL and bidi overrides, reads NEL as a space, keeps emoji and accents", () => {
    expect(cleanChatText("a\x00b\x7fc\x85d\u202Eevil\u202C é 🎉")).toBe("abc devil é 🎉");
  });

  it("leaves markup alone: escaping is the renderer's job", () => {
    expect(cleanChatText("  <img src=x onerror=alert(1)>  ")).toBe("<img src=x onerror=alert(1)>");
  });
});
