// Auditor checks of a vault (and, later, of a bundle PDF).
export * from './audit';
