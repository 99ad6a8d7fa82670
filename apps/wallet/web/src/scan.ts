/** Whether this browser can decode QR codes from the camera itself (BarcodeDetector + getUserMedia). */
export function canScan(): boolean {
  return 'BarcodeDetector' in globalThis && typeof navigator !== 'undefined' && !!navigator.mediaDevices;
}
