import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './phone.css';
import { PhonePage } from './PhonePage';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PhonePage />
    </StrictMode>,
  );
}
