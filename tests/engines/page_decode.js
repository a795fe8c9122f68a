// Run inside the page (the body of an async function; arguments[0] is a picture as a data:
// URL): hand its pixels to the app's jsQR worker, as scanner.js does with each camera frame
// where there is no BarcodeDetector (Safari, Firefox), and return what it read.
const [picture] = arguments;
const image = new Image();
image.src = picture;
await image.decode();
const canvas = document.createElement("canvas");
canvas.width = image.naturalWidth + 80;
canvas.height = image.naturalHeight + 80;
const ctx = canvas.getContext("2d", { willReadFrequently: true });
ctx.fillStyle = "#ffffff";
ctx.fillRect(0, 0, canvas.width, canvas.height);
ctx.drawImage(image, 40, 40);
const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
const worker = new Worker("/js/pairing/decode-worker.js");   // the URL scanner.js starts it from
try {
  return await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(`the decoding worker failed: ${e.message}`));
    worker.postMessage({ data: data.buffer, width, height }, [data.buffer]);
  });
} finally {
  worker.terminate();
}
