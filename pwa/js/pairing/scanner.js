// The in-app QR scanner: the back camera through getUserMedia, decoded by the platform's
// BarcodeDetector where there is one and by jsQR in a worker otherwise.

export class ScanError extends Error {
  constructor(kind, message) {
    super(message);
    // "denied", "no-camera", "unsupported" or "failed": the screen words each kind in the
    // person's language (views/pairing.js); the message is for whoever reads the console.
    this.kind = kind;
  }
}

async function detectorOrNull() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new globalThis.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

function cameraError(err) {
  if (err?.name === "NotAllowedError" || err?.name === "SecurityError") {
    return new ScanError("denied", "Hearth isn't allowed to use the camera.");
  }
  if (err?.name === "NotFoundError" || err?.name === "OverconstrainedError") {
    return new ScanError("no-camera", "This device doesn't seem to have a camera Hearth can use.");
  }
  return new ScanError("failed", "The camera didn't start.");
}

// Shows the camera in `video` and resolves with the first QR code's text that `accept`
// returns true for. Call the returned stop() to give the camera back early.
export function scan(video, accept = () => true) {
  let stopped = false;
  let stream = null;
  let worker = null;
  const stop = () => {
    stopped = true;
    stream?.getTracks().forEach((t) => t.stop());
    worker?.terminate();
    video.srcObject = null;
  };
  const result = (async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new ScanError("unsupported", "This browser can't use the camera here.");
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (err) {
      throw cameraError(err);
    }
    video.srcObject = stream;
    video.setAttribute("playsinline", "");
    video.muted = true;
    await video.play().catch(() => {});
    const detector = await detectorOrNull();
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!detector) worker = new Worker(new URL("./decode-worker.js", import.meta.url));
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 120));
      if (video.readyState < 2 || !video.videoWidth) continue;
      let text = null;
      if (detector) {
        const codes = await detector.detect(video).catch(() => []);
        text = codes.map((c) => c.rawValue).find((t) => accept(t)) ?? null;
      } else {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        text = await new Promise((resolve) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.postMessage({ data: data.buffer, width, height }, [data.buffer]);
        });
        if (text !== null && !accept(text)) text = null;
      }
      if (text !== null) {
        stop();
        return text;
      }
    }
    throw new ScanError("stopped", "Scanning stopped.");
  })();
  result.catch(() => stop());
  return { result, stop };
}
