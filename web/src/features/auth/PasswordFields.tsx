import { Form, Input } from 'antd';
import { useT } from '../../i18n/useI18n.ts';

/**
 * A new password and its repetition, checked against each other in the form: setup, the
 * change forced at first sign-in, and My account all ask for it the same way.
 */
export function NewPasswordFields({
  name,
  confirmName,
  label,
  confirmLabel,
  differentFrom,
}: {
  name: string;
  confirmName: string;
  label: string;
  confirmLabel: string;
  differentFrom?: string;
}) {
  const t = useT();
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        dependencies={differentFrom ? [differentFrom] : []}
        rules={[
          { required: true, message: t('validation.required') },
          { min: 8, message: t('validation.passwordLength') },
          ...(differentFrom
            ? [
                ({ getFieldValue }: { getFieldValue: (fieldName: string) => unknown }) => ({
                  validator: (_: unknown, value: string) =>
                    !value || getFieldValue(differentFrom) !== value
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('validation.passwordSame'))),
                }),
              ]
            : []),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name={confirmName}
        label={confirmLabel}
        dependencies={[name]}
        rules={[
          { required: true, message: t('validation.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue(name) === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('validation.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
