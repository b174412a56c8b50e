// The app version recorded in every custody event (`app: "kesi/<version>"`). A unit test keeps it
// equal to package.json's version.
export const APP_VERSION = '0.1.0';
export const APP_ID = `kesi/${APP_VERSION}`;
