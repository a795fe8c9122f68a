// A QR code as an SVG element, drawn on the device from the vendored qrcode-generator.
// Built with DOM calls and one path, so it needs no inline style under the app's CSP.
import qrcode from "../../vendor/qrcode-generator/qrcode.mjs";

const SVG = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4;   // modules of white border a scanner needs around the code

export function qrSvg(text, { label = "Pairing code" } = {}) {
  const code = qrcode(0, "M");   // 0: the smallest version that fits
  code.addData(text, "Byte");
  code.make();
  const count = code.getModuleCount();
  const size = count + QUIET_ZONE * 2;
  let d = "";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (code.isDark(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.classList.add("qr");
  const bg = document.createElementNS(SVG, "rect");
  bg.setAttribute("width", size);
  bg.setAttribute("height", size);
  bg.setAttribute("fill", "#ffffff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000000");
  svg.append(bg, path);
  return svg;
}
