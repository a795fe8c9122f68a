// Placeholder: filled in with its feature.
export {};
