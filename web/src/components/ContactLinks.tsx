import { MailOutlined, PhoneOutlined } from '@ant-design/icons';

/** The digits and a leading + of a number as written (138 0013 8000, 021-6888-1234): what a dialler takes. */
export const telHref = (number: string) => `tel:${number.replace(/[^\d+]/g, '')}`;

/** A phone number a tap dials, on every screen that shows one. */
export function PhoneLink({ number, icon = true }: { number: string; icon?: boolean }) {
  return (
    <a href={telHref(number)} data-testid="tel-link" style={{ whiteSpace: 'nowrap' }}>
      {icon && <PhoneOutlined />} {number}
    </a>
  );
}

/** An email address a click writes to. */
export function MailLink({ email, icon = true }: { email: string; icon?: boolean }) {
  return (
    <a href={`mailto:${email}`} data-testid="mail-link">
      {icon && <MailOutlined />} {email}
    </a>
  );
}
