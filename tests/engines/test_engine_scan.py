"""The scan path Safari (and Firefox) take: no BarcodeDetector, so camera frames go to the
vendored jsQR in pwa/js/pairing/decode-worker.js. First the worker alone on a QR image made
by another encoder (zxing-cpp), then the whole in-app scanner pairing with hearth-client."""

import base64
import io
from pathlib import Path

import zxingcpp
from PIL import Image

from client_helpers import Client
from engines.flows import open_app, pair_with_client, safety_code
from hearth.protocol.pairing import new_secret, pairing_link
from hearth.protocol.primitives import new_private_key, public_raw

HERE = Path(__file__).resolve().parent


def qr_png_data_url(text: str) -> str:
    """A QR code of `text` as a PNG data: URL, from zxing-cpp's encoder (not the app's)."""
    pixels = memoryview(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=4))
    picture = Image.frombytes("L", (pixels.shape[1], pixels.shape[0]), pixels.tobytes())
    out = io.BytesIO()
    picture.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_the_decoding_worker_reads_a_pairing_link_from_a_qr_image(module_phone, shared_relay, engine_note):
    open_app(module_phone, shared_relay.url, "pair")
    engine_note("BarcodeDetector", module_phone.js("return 'BarcodeDetector' in globalThis;"))
    link = pairing_link(shared_relay.url, new_secret(), public_raw(new_private_key()))   # as an invite makes one
    read = module_phone.js((HERE / "page_decode.js").read_text(), qr_png_data_url(link))
    assert read == link
    assert module_phone.errors == []


def test_the_in_app_scanner_without_barcode_detector_pairs_with_hearth_client(module_phone, shared_relay, tmp_path):
    page = module_phone

    def scan(link):
        open_app(page, shared_relay.url, "pair")
        page.js((HERE / "page_camera.js").read_text(), link)   # the partner's code, in front of the camera
        assert page.js("return window.__cameraAsked;") == 0, "the page changed after the camera was put in place"
        page.click("button", "Scan my partner's code", exact=True)
        code = safety_code(page)
        assert page.js("return window.__cameraAsked;") == 1
        return code

    pair_with_client(shared_relay.url, Client(tmp_path / "client"), page, join=scan)
    assert "s=" not in page.url()
    assert page.errors == []
