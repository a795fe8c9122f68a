// Run inside the page (the body of an async function; arguments[0] is a pairing link): give
// the phone a camera that sees its partner's screen showing that link's QR code, drawn by
// the app's own qr-code.js as the partner's phone draws it. Neither WebKitGTK nor Firefox
// can be handed a picture as a camera through its driver (Chromium's
// --use-file-for-fake-video-capture has no counterpart), so getUserMedia answers with a
// canvas's video stream; everything after it (the <video>, the frames, the decoding worker,
// the join) is the app's own.
const [link] = arguments;
const { qrSvg } = await import("/js/pairing/qr-code.js");
const picture = new Image();
picture.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(qrSvg(link)))}`;
await picture.decode();
const canvas = document.createElement("canvas");
canvas.width = canvas.height = 480;
const ctx = canvas.getContext("2d");
const paint = () => {
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(picture, 40, 40, 400, 400);
};
paint();
// A canvas stream carries a frame only when the canvas is drawn on; a camera keeps sending.
window.__cameraFrames = setInterval(paint, 100);
const stream = canvas.captureStream(10);
window.__cameraAsked = 0;
navigator.mediaDevices.getUserMedia = async () => {
  window.__cameraAsked += 1;
  return stream;
};
return true;
