import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyLevelColours } from '../ui/levelColours.ts';
import { App } from './App.tsx';
// Every feature's stylesheet, loaded once here in cascade order: shared pieces first, then the
// features, whose rules may refine them. (The map's and the traveller pages' own CSS load with them.)
import '../ui/base.css';
import './shell.css';
import '../ui/fields.css';
import '../ui/page.css';
import '../ui/badges.css';
import '../ui/tables.css';
import '../ui/forms.css';
import '../posts/posts.css';
import '../tasks/tasks.css';
import '../deliveries/deliveries.css';
import '../advisories/advisories.css';
import '../organisations/organisations.css';
import '../incidents/incidents.css';
import '../users/users.css';
import '../audit/audit.css';
import '../enrollments/travellers.css';
import '../rosters/rosters.css';
import '../checkins/checkins.css';

applyLevelColours();

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
