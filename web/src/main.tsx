import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './app/global.css';

// Errors React recovered from still mean a bug: log them with their cause, which the
// default report leaves out.
createRoot(document.getElementById('root')!, {
  onRecoverableError: (error, info) => {
    const cause = (error as { cause?: unknown }).cause;
    console.error('React recovered from an error:', cause ?? error, info.componentStack ?? '');
  },
}).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
